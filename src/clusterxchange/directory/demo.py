"""Demo directory: the six EXCITE partner clusters and about 200 invented member organisations,
people and cooperation opportunities across the partners' countries and ecosystems."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils.text import slugify
from faker import Faker

from clusterxchange.core.demo import DemoContext, register
from clusterxchange.core.models import Ecosystem, Language, NaceCode, OpportunityType
from clusterxchange.directory import demo_content as content
from clusterxchange.directory.domain import organisation_slug
from clusterxchange.directory.models import (
    ClusterMembership,
    Opportunity,
    OpportunityStatus,
    Organisation,
    OrganisationType,
    Person,
)

MEMBERS_PER_CLUSTER = 33
TYPE_WEIGHTS = [
    (OrganisationType.SME, 62),
    (OrganisationType.SCALING_UP, 11),
    (OrganisationType.RESEARCH, 8),
    (OrganisationType.LARGE_COMPANY, 8),
    (OrganisationType.PUBLIC_AUTHORITY, 5),
    (OrganisationType.TRAINING_PROVIDER, 6),
]


def _create_org(fields: dict, ecosystems: list[Ecosystem], sectors: list[NaceCode]) -> Organisation:
    org = Organisation(**fields)
    org.slug = organisation_slug(org.name, fields["country"])
    org.save()
    org.ecosystems.set(ecosystems)
    org.sectors.set(sectors)
    return org


def _person_name(context: DemoContext, fakers: dict[str, Faker], country: str) -> tuple[str, str]:
    if country == "BG":
        first, last = content.BULGARIAN_NAMES
        return context.rng.choice(first), context.rng.choice(last)
    faker = fakers[country]
    return faker.first_name(), faker.last_name()


def _company_name(context: DemoContext, country: str, used: set[str]) -> str:
    while True:
        name = (
            f"{context.rng.choice(content.NAME_STEMS)}{context.rng.choice(content.NAME_ENDINGS)} "
            f"{context.rng.choice(content.LEGAL_FORMS[country])}"
        )
        if name not in used:
            used.add(name)
            return name


def _support_name(org_type: str, city: str, context: DemoContext) -> str:
    stem = context.rng.choice(content.NAME_STEMS)
    return {
        OrganisationType.SCALING_UP: f"{stem} Technology Centre {city}",
        OrganisationType.RESEARCH: f"Institute for Applied {stem}science {city}",
        OrganisationType.PUBLIC_AUTHORITY: f"{city} Regional Development Agency",
        OrganisationType.TRAINING_PROVIDER: f"{stem} Academy {city}",
        OrganisationType.LARGE_COMPANY: f"{stem}group Europe – {city} site",
    }[org_type]


def _figures(context: DemoContext, org_type: str) -> tuple[int, Decimal, Decimal]:
    rng = context.rng
    if org_type == OrganisationType.LARGE_COMPANY:
        staff = rng.randint(300, 6000)
    elif org_type == OrganisationType.SME:
        staff = rng.choice([rng.randint(2, 9), rng.randint(10, 49), rng.randint(50, 249)])
    else:
        staff = rng.randint(15, 400)
    turnover = Decimal(int(staff * rng.uniform(60_000, 180_000)))
    balance = Decimal(int(turnover * Decimal(str(round(rng.uniform(0.4, 1.1), 2)))))
    return staff, turnover, balance


def _opportunity(context, org, spec, ecosystem, types, today):
    type_code, title, description = spec
    status = context.rng.choices(
        [OpportunityStatus.PUBLISHED, OpportunityStatus.DRAFT, OpportunityStatus.CLOSED], weights=[85, 10, 5]
    )[0]
    expires = today + timedelta(days=context.rng.randint(-60, 400))
    opportunity = Opportunity.objects.create(
        organisation=org,
        type=types[type_code],
        title=title,
        description=description,
        keywords=", ".join(org.keyword_list[:3]),
        status=status,
        expires_on=expires,
    )
    opportunity.ecosystems.set([ecosystem])
    return opportunity


def summary(context: DemoContext) -> None:
    context.counts["organisations"] = Organisation.objects.count()
    context.counts["people"] = Person.objects.count()
    context.counts["opportunities"] = Opportunity.objects.count()


@register("directory", order=10, summary=summary)
def load(context: DemoContext) -> None:
    ecosystems = {e.code: e for e in Ecosystem.objects.all()}
    nace = {n.code: n for n in NaceCode.objects.all()}
    types = {t.code: t for t in OpportunityType.objects.all()}
    languages = {lang.code: lang for lang in Language.objects.all()}
    fakers = {country: Faker(locale) for country, locale in content.FAKER_LOCALES.items()}
    for index, faker in enumerate(fakers.values()):
        faker.seed_instance(context.rng.randint(0, 10**9) + index)
    today = date.today()
    used_names: set[str] = set()
    people = opportunities = members = 0

    for spec in content.PARTNER_CLUSTERS:
        spec = dict(spec)
        cluster_ecosystems = [ecosystems[code] for code in spec.pop("ecosystems")]
        cluster = _create_org(
            {
                **spec,
                "org_type": OrganisationType.CLUSTER,
                "email": f"info@{slugify(spec['name'])}.example",
                "staff_count": context.rng.randint(8, 40),
            },
            cluster_ecosystems,
            [nace["94"]],
        )
        country = spec["country"]
        first, last = _person_name(context, fakers, country)
        contact = Person.objects.create(
            first_name=first,
            last_name=last,
            position="Cluster manager",
            organisation=cluster,
            email=f"{slugify(first)}.{slugify(last)}@{slugify(spec['name'])}.example".replace("-.", "."),
            phone=f"+00 {context.rng.randint(100, 999)} {context.rng.randint(100000, 999999)}",
        )
        contact.languages.set([languages["en"], languages[content.LANGUAGES[country]]])
        cluster.contact_person = contact
        cluster.save(update_fields=["contact_person"])
        people += 1

        for _ in range(MEMBERS_PER_CLUSTER):
            org_type = context.rng.choices(
                [t for t, _w in TYPE_WEIGHTS], weights=[w for _t, w in TYPE_WEIGHTS]
            )[0]
            city, region, lat, lon = context.rng.choice(content.CITIES[country])
            ecosystem_code = context.rng.choice(
                [e.code for e in cluster_ecosystems] * 3 + list(content.PROFILES)
            )
            profile = context.rng.choice(content.PROFILES[ecosystem_code])
            description, keywords, division, offer, request = profile
            if org_type in content.SUPPORT_PROFILES:
                description, keywords, division = content.SUPPORT_PROFILES[org_type]
                name = _support_name(org_type, city, context)
                if name in used_names:
                    name = f"{name} {context.rng.randint(2, 9)}"
                used_names.add(name)
            else:
                name = _company_name(context, country, used_names)
            staff, turnover, balance = _figures(context, org_type)
            domain_name = slugify(name)[:40]
            org = _create_org(
                {
                    "name": name,
                    "org_type": org_type,
                    "country": country,
                    "region": region,
                    "city": city,
                    "latitude": round(lat + context.rng.uniform(-0.03, 0.03), 4),
                    "longitude": round(lon + context.rng.uniform(-0.03, 0.03), 4),
                    "website": f"https://www.{domain_name}.example",
                    "email": f"contact@{domain_name}.example",
                    "description": description,
                    "keywords": keywords,
                    "staff_count": staff,
                    "turnover_eur": turnover,
                    "balance_sheet_eur": balance,
                    "vat_number": f"{country}{context.rng.randint(10**8, 10**9 - 1)}",
                },
                [ecosystems[ecosystem_code]],
                [nace[division]],
            )
            ClusterMembership.objects.create(
                cluster=cluster,
                member=org,
                since=date(context.rng.randint(2008, 2022), context.rng.randint(1, 12), 1),
            )
            members += 1
            for position in context.rng.sample(
                [
                    "CEO",
                    "CTO",
                    "Head of business development",
                    "Project manager",
                    "Research engineer",
                    "Innovation manager",
                    "Managing director",
                ],
                k=context.rng.randint(1, 2),
            ):
                first, last = _person_name(context, fakers, country)
                person = Person.objects.create(
                    first_name=first,
                    last_name=last,
                    position=position,
                    organisation=org,
                    email=f"{slugify(first) or 'contact'}.{slugify(last) or 'person'}@{domain_name}.example",
                    listed=context.rng.random() > 0.1,
                )
                person.languages.set([languages["en"], languages[content.LANGUAGES[country]]])
                people += 1
            if org_type not in content.SUPPORT_PROFILES or context.rng.random() < 0.3:
                for spec_item in (offer, request):
                    if context.rng.random() < 0.7:
                        _opportunity(context, org, spec_item, ecosystems[ecosystem_code], types, today)
                        opportunities += 1
    context.log(
        f"  {len(content.PARTNER_CLUSTERS)} clusters, {members} members, {people} people, "
        f"{opportunities} opportunities"
    )
