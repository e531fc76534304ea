"""Invented but plausible content for the demo directory (no real member companies are named,
except the six EXCITE partner clusters themselves)."""

# (name, acronym-slug hint, country, region, city, lat, lon, website, member_count, esca, ecosystems, description)
PARTNER_CLUSTERS = [
    dict(
        name="Silicon Saxony",
        country="DE",
        region="Saxony",
        city="Dresden",
        latitude=51.0504,
        longitude=13.7373,
        website="https://www.silicon-saxony.de",
        member_count=500,
        esca_label="gold",
        ecosystems=["electronics", "digital", "energy-renewables"],
        keywords="microelectronics, semiconductors, software, smart systems, connectivity",
        description="Europe's largest microelectronics and ICT network: semiconductor makers, suppliers, "
        "software companies, research institutes and universities in Saxony. Coordinator of EXCITE.",
    ),
    dict(
        name="Pôle SCS",
        country="FR",
        region="Provence-Alpes-Côte d'Azur",
        city="Sophia Antipolis",
        latitude=43.6163,
        longitude=7.0552,
        website="https://www.pole-scs.org",
        member_count=300,
        esca_label="gold",
        ecosystems=["digital", "electronics", "mobility-transport-automotive"],
        keywords="secure communicating solutions, IoT, microelectronics, cybersecurity, smart mobility",
        description="Competitiveness cluster for secure communicating solutions in the Sud region: "
        "microelectronics, IoT, telecommunications, cybersecurity and artificial intelligence.",
    ),
    dict(
        name="GAIA",
        country="ES",
        region="Basque Country",
        city="Donostia-San Sebastián",
        latitude=43.3183,
        longitude=-1.9812,
        website="https://www.gaia.es",
        member_count=280,
        esca_label="gold",
        ecosystems=["digital", "electronics", "energy-renewables"],
        keywords="knowledge industries, applied technology, electronics, ICT, digital transformation",
        description="Association of knowledge and applied-technology industries of the Basque Country: "
        "electronics, information and communication technologies, engineering and consultancy.",
    ),
    dict(
        name="Mazovia Cluster ICT",
        country="PL",
        region="Masovian Voivodeship",
        city="Warszawa",
        latitude=52.2297,
        longitude=21.0122,
        website="https://www.klasterict.pl",
        member_count=150,
        esca_label="silver",
        ecosystems=["digital", "electronics"],
        keywords="ICT, software development, cybersecurity, smart city, e-health",
        description="Cluster of ICT companies, universities and business support organisations of the "
        "Mazovia region, supporting internationalisation and digital innovation.",
    ),
    dict(
        name="Business Hive Vilnius",
        country="LT",
        region="Vilnius County",
        city="Vilnius",
        latitude=54.6872,
        longitude=25.2797,
        website="https://www.businesshive.lt",
        member_count=60,
        esca_label="bronze",
        ecosystems=["digital", "cultural-creative"],
        keywords="start-ups, digital services, fintech, creative industries, business incubation",
        description="Business hub and cluster organisation in Vilnius connecting start-ups, SMEs and "
        "investors in digital services, fintech and the creative industries.",
    ),
    dict(
        name="Cluster for Digital Transformation and Innovations",
        country="BG",
        region="Sofia City",
        city="Sofia",
        latitude=42.6977,
        longitude=23.3219,
        website="https://www.dti-cluster.eu",
        member_count=45,
        esca_label="bronze",
        ecosystems=["digital", "electronics"],
        keywords="digital transformation, industry 4.0, AI, IoT, digital innovation hub",
        description="DTI: a Bulgarian cluster and digital innovation hub helping manufacturing SMEs "
        "with digital transformation, industry 4.0, artificial intelligence and IoT.",
    ),
]
COORDINATOR_CLUSTER = "Silicon Saxony"

CITIES = {
    "DE": [
        ("Dresden", "Saxony", 51.0504, 13.7373),
        ("Leipzig", "Saxony", 51.3397, 12.3731),
        ("Chemnitz", "Saxony", 50.8278, 12.9214),
        ("Freiberg", "Saxony", 50.9119, 13.3428),
        ("Jena", "Thuringia", 50.9271, 11.5892),
    ],
    "FR": [
        ("Sophia Antipolis", "Provence-Alpes-Côte d'Azur", 43.6163, 7.0552),
        ("Nice", "Provence-Alpes-Côte d'Azur", 43.7102, 7.2620),
        ("Marseille", "Provence-Alpes-Côte d'Azur", 43.2965, 5.3698),
        ("Aix-en-Provence", "Provence-Alpes-Côte d'Azur", 43.5297, 5.4474),
        ("Toulon", "Provence-Alpes-Côte d'Azur", 43.1242, 5.9280),
    ],
    "ES": [
        ("Bilbao", "Basque Country", 43.2630, -2.9350),
        ("Donostia-San Sebastián", "Basque Country", 43.3183, -1.9812),
        ("Vitoria-Gasteiz", "Basque Country", 42.8467, -2.6716),
        ("Zamudio", "Basque Country", 43.2830, -2.8650),
        ("Eibar", "Basque Country", 43.1845, -2.4714),
    ],
    "PL": [
        ("Warszawa", "Masovian Voivodeship", 52.2297, 21.0122),
        ("Radom", "Masovian Voivodeship", 51.4027, 21.1471),
        ("Płock", "Masovian Voivodeship", 52.5463, 19.7065),
        ("Siedlce", "Masovian Voivodeship", 52.1676, 22.2902),
    ],
    "LT": [
        ("Vilnius", "Vilnius County", 54.6872, 25.2797),
        ("Kaunas", "Kaunas County", 54.8985, 23.9036),
        ("Klaipėda", "Klaipėda County", 55.7033, 21.1443),
    ],
    "BG": [
        ("Sofia", "Sofia City", 42.6977, 23.3219),
        ("Plovdiv", "Plovdiv", 42.1354, 24.7453),
        ("Varna", "Varna", 43.2141, 27.9147),
    ],
}

LEGAL_FORMS = {
    "DE": ["GmbH", "GmbH", "AG", "UG"],
    "FR": ["SAS", "SAS", "SARL", "SA"],
    "ES": ["S.L.", "S.L.", "S.A."],
    "PL": ["Sp. z o.o.", "Sp. z o.o.", "S.A."],
    "LT": ["UAB", "UAB"],
    "BG": ["EOOD", "OOD", "AD"],
}
LANGUAGES = {"DE": "de", "FR": "fr", "ES": "es", "PL": "pl", "LT": "lt", "BG": "bg"}
FAKER_LOCALES = {"DE": "de_DE", "FR": "fr_FR", "ES": "es_ES", "PL": "pl_PL", "LT": "lt_LT", "BG": "en_GB"}
BULGARIAN_NAMES = (
    [
        "Ivan",
        "Georgi",
        "Dimitar",
        "Nikolay",
        "Petar",
        "Hristo",
        "Stoyan",
        "Maria",
        "Elena",
        "Desislava",
        "Iva",
        "Radostina",
        "Teodora",
        "Kalina",
    ],
    [
        "Ivanov",
        "Georgiev",
        "Dimitrov",
        "Petrova",
        "Nikolova",
        "Stoyanov",
        "Todorova",
        "Kolev",
        "Angelova",
        "Marinov",
        "Hristova",
        "Popov",
    ],
)

NAME_STEMS = [
    "Nano",
    "Quanta",
    "Volt",
    "Senso",
    "Data",
    "Cyber",
    "Opti",
    "Micro",
    "Robo",
    "Nimbus",
    "Agri",
    "Geo",
    "Mobi",
    "Photon",
    "Silica",
    "Grid",
    "Thermo",
    "Helio",
    "Vita",
    "Aero",
    "Terra",
    "Lumen",
    "Flex",
    "Hydro",
    "Kine",
    "Neuro",
    "Stratos",
    "Verde",
    "Textra",
    "Medi",
]
NAME_ENDINGS = [
    "tec",
    "lab",
    "works",
    "logic",
    "sys",
    "nova",
    "ware",
    "tronic",
    "metrics",
    "wave",
    "flow",
    "ion",
    "core",
    "link",
    "mind",
    "scope",
    "form",
    "vision",
    "cell",
    "net",
]

# Profiles per ecosystem: (description, keywords, NACE division, offer, request). Offers and
# requests use different words for the same things on purpose, like real profiles do.
PROFILES = {
    "electronics": [
        (
            "Designs mixed-signal integrated circuits and sensor front-ends for industrial and automotive customers.",
            "ASIC design, mixed-signal, sensor interfaces",
            "26",
            (
                "technology-offer",
                "Low-power ASIC design for sensor signal conditioning",
                "We design and tape out mixed-signal chips that condition and digitise sensor signals at microwatt power.",
            ),
            (
                "business-request",
                "Distribution partner for sensor chips in Southern Europe",
                "Looking for a distributor with contacts to industrial equipment makers in France and Spain.",
            ),
        ),
        (
            "Provides reliability testing and failure analysis for power electronics modules.",
            "power electronics, reliability testing, failure analysis",
            "71",
            (
                "business-offer",
                "Power electronics testing and failure analysis services",
                "Accredited lab for thermal cycling, power cycling and failure analysis of power modules and inverters.",
            ),
            (
                "technology-request",
                "Automated optical inspection for solder joints",
                "We want to automate the inspection of solder joints in our test samples with machine vision.",
            ),
        ),
        (
            "Manufactures printed and flexible electronics: printed sensors, heaters and antennas on foil.",
            "printed electronics, flexible sensors, roll-to-roll",
            "26",
            (
                "technology-offer",
                "Roll-to-roll printed sensors on flexible foil",
                "Printed pressure, temperature and humidity sensors produced on polymer foil in volume.",
            ),
            (
                "rd-request",
                "Partners for a Horizon Europe proposal on wearable health patches",
                "We seek a medical device partner and a clinic to validate printed sensor patches for patient monitoring.",
            ),
        ),
        (
            "Develops embedded systems and printed circuit board assemblies for industrial automation.",
            "embedded systems, PCB assembly, firmware",
            "26",
            (
                "business-offer",
                "Embedded hardware and firmware development on demand",
                "From schematic to certified product: embedded boards, firmware and small-series assembly.",
            ),
            (
                "business-request",
                "Subcontractor for cable harness manufacturing",
                "We need a reliable subcontractor for cable harnesses in lots of 500 to 5,000 pieces.",
            ),
        ),
    ],
    "digital": [
        (
            "Builds cloud-native data platforms and analytics for manufacturing SMEs.",
            "data platform, industrial analytics, cloud",
            "62",
            (
                "technology-offer",
                "Predictive maintenance analytics for machine tools",
                "Our analytics predict spindle and bearing failures from vibration data, deployable on premises or in the cloud.",
            ),
            (
                "business-request",
                "Manufacturing companies for pilot installations",
                "We look for machine shops willing to pilot condition monitoring on their milling and turning centres.",
            ),
        ),
        (
            "Offers cybersecurity services: penetration testing, security audits and incident response.",
            "cybersecurity, penetration testing, ISO 27001",
            "62",
            (
                "business-offer",
                "Penetration tests and NIS2 readiness audits",
                "Certified testers assess networks, web applications and OT systems and prepare companies for NIS2.",
            ),
            (
                "technology-request",
                "Threat intelligence feed in Central and Eastern European languages",
                "We want a partner that collects and classifies threat indicators from Polish, Lithuanian and Bulgarian sources.",
            ),
        ),
        (
            "Develops computer-vision and machine-learning software for quality inspection.",
            "computer vision, machine learning, quality inspection",
            "62",
            (
                "technology-offer",
                "Machine vision for automated visual inspection",
                "Deep-learning image analysis that detects surface defects, scratches and faulty solder joints on the line.",
            ),
            (
                "rd-request",
                "Research partner on explainable AI for industrial inspection",
                "We seek a university group to co-develop explainable defect classification for certified industries.",
            ),
        ),
        (
            "Creates e-government and smart city software: citizen portals, open data and urban dashboards.",
            "smart city, open data, e-government",
            "62",
            (
                "business-offer",
                "Urban data dashboards for municipalities",
                "A ready platform that integrates traffic, air quality and energy data of a city into public dashboards.",
            ),
            (
                "business-request",
                "Local integrators for municipal projects abroad",
                "We seek IT integrators that serve municipalities in Germany, France and Spain.",
            ),
        ),
        (
            "Runs a digital innovation hub helping companies adopt IoT, AI and cloud technologies.",
            "digital innovation hub, IoT, technology transfer",
            "70",
            (
                "business-offer",
                "Test-before-invest services for IoT and AI",
                "SMEs test IoT sensors, AI models and cloud services in our experimentation facility before buying.",
            ),
            (
                "business-request",
                "Hubs for cross-border SME exchanges",
                "We want to exchange staff with other innovation hubs to learn how they run their service portfolios.",
            ),
        ),
    ],
    "mobility-transport-automotive": [
        (
            "Develops connected-vehicle software and vehicle-to-infrastructure communication.",
            "V2X, connected vehicles, automotive software",
            "62",
            (
                "technology-offer",
                "V2X communication stack for road-side units",
                "ETSI ITS-G5 and C-V2X software for road-side units and on-board units, tested on public roads.",
            ),
            (
                "business-request",
                "Automotive tier-1 partners for field trials",
                "We look for tier-1 suppliers and road operators to run field trials on a motorway corridor.",
            ),
        ),
        (
            "Engineers battery management systems for electric vehicles and stationary storage.",
            "battery management, electric vehicles, energy storage",
            "29",
            (
                "technology-offer",
                "Battery management system with state-of-health estimation",
                "Our BMS estimates cell state of health and extends battery life in cars, buses and storage systems.",
            ),
            (
                "technology-request",
                "Cell test equipment and accelerated ageing tests",
                "We need a lab that runs accelerated ageing and abuse tests on lithium-ion cells.",
            ),
        ),
    ],
    "health": [
        (
            "Develops digital health applications for remote patient monitoring.",
            "digital health, telemedicine, remote monitoring",
            "62",
            (
                "technology-offer",
                "Remote monitoring platform for chronic patients",
                "Patients measure vital signs at home and clinicians follow them on a certified telemedicine platform.",
            ),
            (
                "rd-request",
                "Clinical partners to validate wearable monitoring",
                "We seek hospitals to run a clinical study of wearable monitoring for heart-failure patients.",
            ),
        ),
        (
            "Manufactures medical devices and diagnostic instruments.",
            "medical devices, diagnostics, MDR",
            "32",
            (
                "business-offer",
                "Contract manufacturing of Class II medical devices",
                "ISO 13485 certified production and MDR documentation for small and medium series.",
            ),
            (
                "technology-request",
                "Miniaturised biosensors for point-of-care diagnostics",
                "We look for sensor technology that detects biomarkers in a drop of blood within minutes.",
            ),
        ),
    ],
    "energy-renewables": [
        (
            "Designs smart-grid control software and energy management for renewable plants.",
            "smart grid, energy management, photovoltaics",
            "35",
            (
                "technology-offer",
                "Energy management system for solar parks with storage",
                "Forecasting and control software that schedules batteries and inverters of photovoltaic parks.",
            ),
            (
                "business-request",
                "Installers of photovoltaic systems as resellers",
                "We want installers of solar systems to resell our energy management to commercial customers.",
            ),
        ),
        (
            "Engineers hydrogen electrolysis components and fuel-cell balance of plant.",
            "hydrogen, electrolysis, fuel cells",
            "28",
            (
                "technology-offer",
                "Power electronics for electrolysers",
                "Rectifiers and DC converters optimised for PEM electrolysers from 100 kW to 5 MW.",
            ),
            (
                "rd-request",
                "Consortium on green hydrogen for industrial heat",
                "Looking for partners to demonstrate hydrogen burners in ceramics and glass production.",
            ),
        ),
    ],
    "aerospace-defence": [
        (
            "Develops satellite payload electronics and ground-station software.",
            "space, satellite payloads, ground segment",
            "30",
            (
                "technology-offer",
                "Radiation-tolerant electronics for small satellites",
                "Radiation-tested on-board computers and payload interfaces for CubeSats and small satellites.",
            ),
            (
                "business-request",
                "Partners for space qualification testing",
                "We seek test houses for vibration, thermal vacuum and radiation testing of space hardware.",
            ),
        ),
    ],
    "agri-food": [
        (
            "Provides precision-farming sensors and farm management software.",
            "precision agriculture, soil sensors, farm software",
            "62",
            (
                "technology-offer",
                "Wireless soil moisture sensors with irrigation advice",
                "Solar-powered soil probes and an app that tells farmers when and how much to irrigate.",
            ),
            (
                "business-request",
                "Agricultural cooperatives for pilot farms",
                "We want cooperatives that let us equip member farms for a season-long pilot.",
            ),
        ),
    ],
    "construction": [
        (
            "Offers building information modelling services and digital twins of buildings.",
            "BIM, digital twin, construction software",
            "71",
            (
                "business-offer",
                "BIM modelling and digital twins for facility management",
                "We turn drawings and laser scans into BIM models that facility managers use day to day.",
            ),
            (
                "technology-request",
                "Indoor positioning for construction sites",
                "We need indoor positioning to track tools and workers' progress on large building sites.",
            ),
        ),
    ],
    "cultural-creative": [
        (
            "Creative studio producing immersive experiences, AR/VR and games for culture and training.",
            "virtual reality, augmented reality, serious games",
            "59",
            (
                "business-offer",
                "Virtual reality training applications",
                "Immersive VR training for hazardous industrial tasks, from script to deployment on headsets.",
            ),
            (
                "business-request",
                "Museums and heritage sites for AR guides",
                "We seek museums that want augmented-reality guides for their collections.",
            ),
        ),
    ],
    "energy-intensive": [
        (
            "Supplies process-control and energy-efficiency solutions for chemical and metal industries.",
            "process control, energy efficiency, industrial automation",
            "28",
            (
                "technology-offer",
                "Waste-heat recovery control for furnaces",
                "Control software that recovers waste heat from furnaces and cuts gas consumption by up to 15%.",
            ),
            (
                "technology-request",
                "Low-cost sensors for flue-gas monitoring",
                "Looking for affordable sensors that measure flue-gas composition continuously.",
            ),
        ),
    ],
    "textiles": [
        (
            "Develops smart textiles with integrated sensors and heating.",
            "smart textiles, e-textiles, wearables",
            "13",
            (
                "technology-offer",
                "Textile-integrated heating and sensing",
                "Conductive yarns and printed circuits woven into fabrics for heated and sensing garments.",
            ),
            (
                "business-request",
                "Outdoor and workwear brands as customers",
                "We look for workwear and outdoor brands to integrate heated textile panels.",
            ),
        ),
    ],
    "tourism": [
        (
            "Builds booking and visitor-management software for destinations.",
            "tourism software, booking, visitor flows",
            "63",
            (
                "business-offer",
                "Visitor-flow management for destinations",
                "Real-time visitor counting and booking that spreads tourists across attractions.",
            ),
            (
                "business-request",
                "Destination management organisations as pilot customers",
                "We want tourism offices to pilot visitor-flow management in the coming season.",
            ),
        ),
    ],
    "retail": [
        (
            "Provides e-commerce platforms and omnichannel retail software.",
            "e-commerce, omnichannel, retail analytics",
            "47",
            (
                "business-offer",
                "Omnichannel commerce platform for regional retailers",
                "Shop, stock and click-and-collect in one platform for retailers with 5 to 200 stores.",
            ),
            (
                "technology-request",
                "Computer vision for shelf monitoring",
                "We look for a vision system that detects empty shelves and misplaced products in stores.",
            ),
        ),
    ],
    "proximity-social-economy": [
        (
            "Social enterprise offering digital-skills training and IT services with people far from employment.",
            "digital skills, social economy, inclusion",
            "85",
            (
                "business-offer",
                "Digital-skills bootcamps for jobseekers",
                "Twelve-week bootcamps in web development and IT support with job placement.",
            ),
            (
                "business-request",
                "Companies offering internships to bootcamp graduates",
                "We seek IT companies that host our graduates for three-month internships.",
            ),
        ),
    ],
}

SUPPORT_PROFILES = {
    "scaling_up": (
        "Technology centre supporting companies with prototyping, testing and technology transfer.",
        "technology transfer, prototyping, innovation support",
        "72",
    ),
    "research": (
        "Applied research institute working with industry on contract research and joint projects.",
        "applied research, contract research, EU projects",
        "72",
    ),
    "public_authority": (
        "Regional development agency supporting innovation and internationalisation of companies.",
        "regional development, innovation policy, internationalisation",
        "84",
    ),
    "training_provider": (
        "Training provider for engineers and managers in digital and industrial skills.",
        "training, upskilling, certification",
        "85",
    ),
    "large_company": (
        "International group with a regional engineering and production site.",
        "manufacturing, engineering, supply chain",
        "26",
    ),
}

# EU member states plus countries associated to the Single Market Programme (demo data: the
# coordinator keeps the real list per programme).
EXCITE_ELIGIBLE_COUNTRIES = [
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
    "IS",
    "NO",
    "AL",
    "BA",
    "MK",
    "ME",
    "RS",
    "UA",
    "MD",
    "AM",
]
