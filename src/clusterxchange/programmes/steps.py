"""The set-up of a programme in steps, each complete or with what is missing (the overview page and
the API's programme read both show it)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterxchange.core.money import money
from clusterxchange.programmes.models import GrantRuleSet, Programme, language_names


@dataclass
class Step:
    key: str
    label: str
    url_name: str
    missing: list[str] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return not self.missing


STEP_LABELS = {
    "general": gettext_lazy("Name, dates and languages"),
    "texts": gettext_lazy("Public texts"),
    "periods": gettext_lazy("Reporting periods"),
    "countries": gettext_lazy("Eligible countries"),
    "partners": gettext_lazy("Partners"),
    "rules": gettext_lazy("Grant rules"),
    "kpis": gettext_lazy("KPI targets"),
}


def setup_steps(programme: Programme) -> list[Step]:
    general = Step("general", STEP_LABELS["general"], "programmes:edit")
    if not programme.contact_email:
        general.missing.append(_("A contact email address."))
    texts = Step("texts", STEP_LABELS["texts"], "programmes:texts")
    written = set(programme.texts.exclude(description="").values_list("language", flat=True))
    if programme.default_language not in written:
        texts.missing.append(
            _("A public description in the default language (%(language)s).")
            % {"language": language_names([programme.default_language])}
        )
    lacking = [
        code for code in programme.languages if code not in written and code != programme.default_language
    ]
    if lacking:
        texts.missing.append(
            _("A public description in each language; missing: %(languages)s.")
            % {"languages": language_names(lacking)}
        )
    periods = Step("periods", STEP_LABELS["periods"], "programmes:periods")
    if not programme.periods.exists():
        periods.missing.append(_("At least one reporting period."))
    countries = Step("countries", STEP_LABELS["countries"], "programmes:countries")
    eligible = sorted(str(c.country) for c in programme.eligible_countries.all())
    if len(eligible) < 2:
        countries.missing.append(_("At least two eligible countries (a stay is in another country)."))
    partners = Step("partners", STEP_LABELS["partners"], "programmes:partners")
    partner_rows = list(programme.partners.values_list("is_coordinator", "grant_budget_eur"))
    if not partner_rows:
        partners.missing.append(_("At least one partner cluster."))
    if partner_rows and not any(coordinating for coordinating, _budget in partner_rows):
        partners.missing.append(_("A coordinating partner."))
    budgets = sum(budget for _coordinating, budget in partner_rows)
    if programme.grant_budget_eur and budgets > programme.grant_budget_eur:
        partners.missing.append(
            _("The partners' grant budgets (%(budgets)s) exceed the programme's total (%(total)s).")
            % {"budgets": money(budgets), "total": money(programme.grant_budget_eur)}
        )
    rules = Step("rules", STEP_LABELS["rules"], "programmes:rules")
    ruleset = GrantRuleSet.objects.filter(programme=programme).first()
    caps = set(ruleset.country_caps.values_list("country", flat=True)) if ruleset else set()
    without = [code for code in eligible if code not in caps]
    if without:
        rules.missing.append(
            _("A lump sum for each eligible host country; missing: %(countries)s.")
            % {"countries": ", ".join(without)}
        )
    kpis = Step("kpis", STEP_LABELS["kpis"], "programmes:kpis")
    if not programme.kpi_targets.exists():
        kpis.missing.append(_("At least one KPI target."))
    return [general, texts, periods, countries, partners, rules, kpis]
