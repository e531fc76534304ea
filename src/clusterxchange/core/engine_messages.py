"""Translations of the messages that the pure engines produce (they stay English and Django-free).

The engines return a message template (a `str.format` string) with its parameters; the pages
translate the template and then fill it in. `makemessages` cannot read the engines (their strings
are not marked), so every template is listed here with `gettext_noop`;
`tests/core/test_translations.py` checks that this list and the engines' lists stay the same.
"""

from collections.abc import Mapping
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import get_language, gettext, gettext_noop, pgettext

from clusterxchange.core.models import language_name
from clusterxchange.core.money import money
from clusterxchange.engines.grants.messages import APPLIED_RULE_TEMPLATES, AppliedRule, AppliedRuleCode

GRANT_REASONS = (
    gettext_noop("The end date {end} is before the start date {start}."),
    gettext_noop("The {role}'s country code '{country}' is not an ISO 3166-1 alpha-2 code (use GR, not EL)."),
    gettext_noop("The {role}'s country {country} is not eligible in this programme."),
    gettext_noop("The host must be in another country than the visitor (both are in {country})."),
    gettext_noop("The visitor and the host are the same organisation."),
    gettext_noop("An organisation of type '{organisation_type}' cannot visit in this programme."),
    gettext_noop("An organisation of type '{organisation_type}' cannot host in this programme."),
    gettext_noop("The {role} ('{organisation_type}') must be a member of a cluster to take part."),
    gettext_noop("The {role} is registered as an SME but does not meet the SME definition."),
    gettext_noop(
        "The visitor has already visited in the scheme ({prior_visits} earlier visit(s)); "
        "a participant may visit only once."
    ),
    gettext_noop("The stay has {working_days} working day(s); the minimum is {minimum}."),
    gettext_noop(
        "The stay from {start} to {end} is longer than {months} month(s): it must end by {last_allowed_day}."
    ),
    gettext_noop("The stay has {working_days} working days; the maximum is {maximum}."),
    gettext_noop("The {role}'s location is missing, so the distance cannot be measured."),
    gettext_noop("The programme has no grant amount for host country {country}."),
)
# The applied rules that name an amount, as pages write them: the amount carries its currency in the
# reader's format ("600,00 €", core.money); the engine's own templates ("EUR {amount}") stay for the API.
PAGE_TEMPLATES = {
    AppliedRuleCode.COUNTRY_LUMP_SUM: gettext_noop("Lump sum for host country {country}: {amount}."),
    AppliedRuleCode.DAILY_RATE: gettext_noop("{working_days} working day(s) at {rate} per day: {amount}."),
    AppliedRuleCode.CAPPED_COUNTRY: gettext_noop("Capped at {cap}, the maximum for host country {country}."),
    AppliedRuleCode.HALVED: gettext_noop("Reduced once by the factor {factor}: {amount}."),
}
MONEY_PARAMETERS = {"amount", "rate", "cap"}
# The applied rules' templates the pages translate (the engine's, or the page's where it names an amount).
GRANT_APPLIED_RULES = (
    gettext_noop("{weekend_days} weekend day(s) not counted as working days."),
    gettext_noop("{count} public holiday(s) in {calendar} not counted as working days: {names}."),
    gettext_noop("The first and last day ({start}, {end}) are travel days, not counted."),
    gettext_noop("No public-holiday calendar is known for {country}; only weekends were excluded."),
    gettext_noop(
        "No public-holiday calendar is known for region {subdivision} of {country}; "
        "the national holidays were used."
    ),
    PAGE_TEMPLATES[AppliedRuleCode.COUNTRY_LUMP_SUM],
    PAGE_TEMPLATES[AppliedRuleCode.DAILY_RATE],
    PAGE_TEMPLATES[AppliedRuleCode.CAPPED_COUNTRY],
    gettext_noop("Fewer than {minimum} working days ({working_days}): the grant is reduced."),
    gettext_noop("Distance under {minimum_km} km ({distance_km} km): the grant is reduced."),
    PAGE_TEMPLATES[AppliedRuleCode.HALVED],
)
MATCHING_REASONS = (
    gettext_noop("their offer '{their_text}' answers your request '{your_text}'"),
    gettext_noop("their request '{their_text}' is answered by your offer '{your_text}'"),
    gettext_noop("their profile mentions '{phrase}', which you request"),
    gettext_noop("the course covers '{phrase}', which you asked for"),
    gettext_noop("both in {ecosystems}"),
    gettext_noop("both work in NACE {codes}"),
    gettext_noop("both work in NACE section {sections}"),
    gettext_noop("they are {their_role}, a good fit for {your_role}"),
    gettext_noop("speaks {languages}"),
    gettext_noop("taught in {languages}"),
    gettext_noop("no strong shared feature yet; suggested because they meet the {use} criteria"),
)
MATCHING_ROLE_LABELS = (
    gettext_noop("a cluster organisation"),
    gettext_noop("a business network"),
    gettext_noop("a scaling-up support organisation"),
    gettext_noop("a research organisation"),
    gettext_noop("an SME"),
    gettext_noop("a large company"),
    gettext_noop("a public authority"),
    gettext_noop("a training provider"),
    gettext_noop("a training course"),
    gettext_noop("an organisation"),
)

# The matching use a suggestion was made for, as the engine names it in "meet the {use} criteria".
MATCHING_USE_LABELS = {
    "partner search": gettext_noop("partner search"),
    "exchange host": gettext_noop("exchange host"),
    "event meeting": gettext_noop("event meeting"),
    "tandem partner": gettext_noop("tandem partner"),
    "training course": gettext_noop("training course"),
}


def _parameter(name: str, value: object) -> object:
    if name == "use" and value in MATCHING_USE_LABELS:
        return gettext(MATCHING_USE_LABELS[value])
    if name == "role" and value in {"visitor", "host"}:
        return pgettext("grant party", "visitor") if value == "visitor" else pgettext("grant party", "host")
    if name in {"their_role", "your_role"} and isinstance(value, str):
        return gettext(value)
    if isinstance(value, Decimal) and name in MONEY_PARAMETERS:
        return money(value)
    if isinstance(value, Decimal):
        return number_format(value)  # other figures (the halving factor): 0.50 in English, 0,50 in German
    return value


def join_words(words: list[str]) -> str:
    """The words as a list in the active language: "A, B and C"."""
    if len(words) <= 1:
        return "".join(words)
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(words[:-1]), "last": words[-1]}


# The site's languages that write a language's name in lower case inside a sentence ("habla inglés",
# "говори английски"); the ISO 639 names are capitalised as they are at the head of a list.
LOWER_CASE_LANGUAGE_NAMES = {"bg", "es", "fr", "lt", "pl"}


def language_in_sentence(english_name: str) -> str:
    """A language's name in the active language, written as it is inside a sentence."""
    name = language_name(english_name)
    if (get_language() or "").split("-")[0] in LOWER_CASE_LANGUAGE_NAMES:
        return name[:1].lower() + name[1:]
    return name


# A parameter that an engine joined in English ("English and French"), and the list of names it
# also gives, so that pages name them in the reader's language.
NAMED_LISTS = {
    "languages": ("language_names", language_in_sentence),
    "ecosystems": ("ecosystem_names", gettext),
}


def translate(template: str, params: Mapping[str, object]) -> str:
    """The template in the active language, filled in (an unknown template stays English)."""
    values = {name: _parameter(name, value) for name, value in params.items()}
    for name, (list_name, localise) in NAMED_LISTS.items():
        if list_name in params:
            values[name] = join_words([localise(word) for word in params[list_name]])
    return gettext(template).format(**values)


def engine_message(item) -> str:
    """A grant reason or applied rule (`.template`) or a matching reason (`.message` is the template)."""
    if isinstance(item, AppliedRule):
        return translate(PAGE_TEMPLATES.get(item.code, item.template), item.params)
    template = getattr(item, "template", None) or item.message
    return translate(template, item.params)


def stored_applied_rule(rule) -> dict:
    """An engine's applied grant rule as kept on a record (JSON): its code and figures, so that every
    reader sees it in their own language later; `message` keeps the English text for the API."""
    decimals = [name for name, value in rule.params.items() if isinstance(value, Decimal)]
    params = {
        name: value if isinstance(value, int | float | str) else str(value)
        for name, value in rule.params.items()
    }
    return {"code": str(rule.code), "params": params, "decimals": decimals, "message": rule.message}


def applied_rule_text(entry) -> str:
    """A kept applied rule in the active language. Records approved before rules were kept with their
    code held the English text: the migration exchanges 0005 read those back into code and figures;
    a text it could not read exactly stays English."""
    if isinstance(entry, str):
        return entry
    params = {
        name: Decimal(value) if name in entry.get("decimals", ()) else value
        for name, value in entry["params"].items()
    }
    code = AppliedRuleCode(entry["code"])
    return translate(PAGE_TEMPLATES.get(code, APPLIED_RULE_TEMPLATES[code]), params)


def applied_rule_english(entry) -> str:
    return entry if isinstance(entry, str) else entry["message"]
