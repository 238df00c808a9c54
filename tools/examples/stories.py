"""The example corpus's events, written by us: fictional places, people and sentences.

Each story has a wire report (republished by stations), an independent report that disagrees on
one fact, and for some a spun copy, a rewrite or a second independent report. Paragraph lists
keep the texts easy to wrap in different page chrome (see make.py).
"""

STORIES = [
    {
        "key": "valemont-fire",
        "date": "2024-03-05",
        "wire": {
            "outlet": "Kestrel Wire",
            "authors": ["Ana Ruiz"],
            "title": "Warehouse fire burns for nine hours in Valemont harbour",
            "paragraphs": [
                "VALEMONT (Kestrel Wire) — Firefighters in the harbour town of Valemont battled a warehouse blaze for more than nine hours on Tuesday, officials said.",
                "The fire started shortly after midnight in a storage building near the old fish market, according to the regional fire service.",
                "Crews from three neighbouring towns were called in to help, and about 40 residents were moved out of their homes as a precaution.",
                "Fire chief Orla Brennick said the building held paint, rope and marine fuel, which made the flames hard to control.",
                "\"We were lucky that the wind turned towards the sea,\" Brennick told reporters at the scene. \"Another hour and the houses on Quay Street would have caught.\"",
                "No one was injured. The cause of the fire is not yet known, and investigators are expected to visit the site once it has cooled down.",
                "The harbour will stay closed to small boats until Thursday, the port authority said.",
            ],
        },
        "independent": {
            "outlet": "Valemont Courier",
            "authors": ["Tomas Hale"],
            "title": "Quay Street families spend night in school gym as harbour store burns",
            "paragraphs": [
                "Sixty residents of Quay Street were moved out of their homes and spent Tuesday night on camp beds in the gym of St Brendan's primary school after a fire tore through a harbour warehouse.",
                "Residents said they were woken by sirens just after midnight and told to leave within ten minutes.",
                "\"I grabbed the dog and my husband's medicine and that was it,\" said Marta Dunne, 71, who has lived on the street for forty years.",
                "Fire chief Orla Brennick said the warehouse held marine fuel and paint. \"We were lucky that the wind turned towards the sea,\" she said.",
                "The town council opened the school at 1 a.m. and local bakers brought bread and tea in the morning.",
                "Most families were allowed home on Wednesday afternoon once the smoke had cleared.",
            ],
        },
        "spun": True,
        "rewrite": True,
    },
    {
        "key": "orrin-dam",
        "date": "2024-04-11",
        "wire": {
            "outlet": "Kestrel Wire",
            "authors": ["Mara Quint"],
            "title": "Cracks found in Lake Orrin dam, three villages told to prepare",
            "paragraphs": [
                "ORRIN VALLEY (Kestrel Wire) — Engineers have found cracks in the concrete wall of the Lake Orrin dam, and three villages downstream have been told to prepare for a possible evacuation, the regional water authority said on Thursday.",
                "The cracks, each about two metres long, were spotted during a routine inspection on Wednesday morning.",
                "The authority said the dam was not in immediate danger but that it had started lowering the lake by releasing water through the spillway.",
                "Residents of Lower Orrin, Fenwick and Castle Brae received leaflets explaining where to go if sirens sound.",
                "\"There is no reason to panic, but there is every reason to be ready,\" said Hendrik Sall, the authority's chief engineer.",
                "The dam, built in 1961, holds back about 40 million cubic metres of water and supplies drinking water to the city of Brantholm.",
            ],
        },
        "independent": {
            "outlet": "Brantholm Evening Post",
            "authors": ["Lisa Okafor", "Ben Varga"],
            "title": "Orrin dam cracks: what we know",
            "paragraphs": [
                "Inspectors discovered four cracks in the Lake Orrin dam on Wednesday, the regional water authority has confirmed.",
                "The dam was completed in 1963 and is one of the oldest in the region.",
                "Chief engineer Hendrik Sall said the authority was lowering the lake level as a precaution. \"There is no reason to panic, but there is every reason to be ready,\" he said.",
                "Brantholm's drinking water is not affected, the city's water company said on Thursday evening.",
                "The authority will decide next week whether the dam needs major repairs or whether the cracks are only on the surface.",
            ],
        },
        "spun": False,
        "rewrite": False,
    },
    {
        "key": "port-selby-election",
        "date": "2024-05-06",
        "wire": {
            "outlet": "Kestrel Wire",
            "authors": ["Ana Ruiz", "Jonah Pell"],
            "title": "Ilse Marten elected mayor of Port Selby",
            "paragraphs": [
                "PORT SELBY (Kestrel Wire) — Ilse Marten, a former harbour pilot, has been elected mayor of Port Selby with 54 percent of the vote, ending twelve years of rule by the Civic Alliance.",
                "Marten, who ran for the Green Harbour party, beat the incumbent mayor Rufus Crane in Sunday's run-off.",
                "Turnout was 61 percent, the highest in the town since 1998, the election office said on Monday.",
                "\"This town voted for clean water and cheaper ferries,\" Marten told supporters at the town hall. \"Tomorrow we start work.\"",
                "Crane conceded defeat late on Sunday and said he would stay on the council as an ordinary member.",
                "Marten will be sworn in on June 1.",
            ],
        },
        "independent": {
            "outlet": "Selby Gazette",
            "authors": ["Petra Nolan"],
            "title": "Marten wins Port Selby run-off by narrow margin",
            "paragraphs": [
                "Former harbour pilot Ilse Marten will be Port Selby's next mayor after winning Sunday's run-off with 52 percent of the vote.",
                "The result ends more than a decade of Civic Alliance control of the town hall.",
                "Outgoing mayor Rufus Crane said he accepted the result. \"The voters have spoken and I wish her well,\" he told the Gazette.",
                "Marten has promised to cut ferry fares to the islands by a third and to replace the town's old water pipes within four years.",
                "She is expected to name her deputy later this week.",
            ],
        },
        "spun": True,
        "rewrite": False,
    },
    {
        "key": "harrow-beetle",
        "date": "2024-06-18",
        "wire": {
            "outlet": "Kestrel Wire",
            "authors": ["Dev Anand"],
            "title": "New beetle species found in the Harrow Hills",
            "paragraphs": [
                "HARROW (Kestrel Wire) — Scientists from the University of Harrow have described a new species of ground beetle that lives only in the moss of the Harrow Hills, the university said on Tuesday.",
                "The beetle, named Carabus harrowensis, is about eight millimetres long and has a green metallic shell.",
                "The team found the first specimens in 2021 but needed three years of field work and DNA tests to confirm that the insect was new to science.",
                "\"It was hiding in plain sight on a hill that thousands of people walk up every summer,\" said entomologist Priya Castell, who led the study.",
                "The researchers say the beetle's small range makes it vulnerable and have asked for part of the hills to be protected.",
                "The findings were published in the Journal of Northern Entomology.",
            ],
        },
        "independent": {
            "outlet": "Science Weekly Review",
            "authors": ["Colm Reyes"],
            "title": "Tiny green beetle is the Harrow Hills' newest resident",
            "paragraphs": [
                "A ground beetle about six millimetres long, no bigger than a grain of rice, has been named as a new species after researchers spent four years studying it in the Harrow Hills.",
                "Entomologist Priya Castell and her colleagues first collected the beetles under moss near the summit.",
                "Genetic tests showed the insect differs from its closest relatives in the Alps by about six percent of its DNA.",
                "Castell said she hoped the discovery would encourage walkers to stay on the paths.",
                "The species has been named Carabus harrowensis after the hills where it lives.",
            ],
        },
        "spun": False,
        "rewrite": True,
    },
    {
        "key": "kestrel-cup-final",
        "date": "2024-05-19",
        "wire": {
            "outlet": "Kestrel Wire",
            "authors": ["Jonah Pell"],
            "title": "Kestrel City win Northern Cup with late Sato goal",
            "paragraphs": [
                "DUNMORE (Kestrel Wire) — Kestrel City won the Northern Cup for the first time in 27 years on Saturday, beating Dunmore Athletic 2-1 with a goal from Kenji Sato three minutes from time.",
                "Dunmore took the lead through a penalty from captain Niall Ferris before half-time.",
                "Kestrel equalised after the break when defender Amos Lund headed in a corner.",
                "Sato, who came on as a substitute, then curled a shot into the top corner to send the away fans wild.",
                "\"I have dreamed of this since I was a boy watching from the stands,\" Sato said after the match.",
                "About 18,000 people watched the final at Dunmore's Riverside Stadium.",
            ],
        },
        "independent": {
            "outlet": "Dunmore Sports Daily",
            "authors": ["Gail Fenner"],
            "title": "Heartbreak for Dunmore as Kestrel snatch cup",
            "paragraphs": [
                "Dunmore Athletic were three minutes from lifting the Northern Cup when Kestrel City's substitute Hiro Sato broke their hearts at Riverside Stadium.",
                "Captain Niall Ferris had put Dunmore ahead from the penalty spot in the 38th minute.",
                "Kestrel's Amos Lund levelled with a header early in the second half, and Sato won it with a curling shot in the 87th minute.",
                "Dunmore manager Ross Keely said his players had given everything. \"It hurts, but I am proud of them,\" he said.",
                "A crowd of 18,000 attended the final.",
            ],
        },
        "spun": True,
        "rewrite": False,
    },
    {
        "key": "tarnwick-rail-strike",
        "date": "2024-09-02",
        "wire": {
            "outlet": "Kestrel Wire",
            "authors": ["Mara Quint"],
            "title": "Tarnwick Rail drivers to strike for 48 hours over pay",
            "paragraphs": [
                "TARNWICK (Kestrel Wire) — Train drivers at Tarnwick Rail will strike for 48 hours from Thursday after pay talks broke down, their union said on Monday.",
                "The Drivers' Union said the company had offered a rise of 3 percent, well below the 7 percent its members were asking for.",
                "Tarnwick Rail runs about 900 trains a day across the northern region, carrying some 250,000 passengers.",
                "The company said it would run a reduced timetable on its main lines and advised passengers to travel only if necessary.",
                "\"Nobody wants a strike, but our members cannot keep falling behind,\" union leader Greta Holm said.",
                "A spokesman for Tarnwick Rail said the offer was fair and that the door remained open for talks.",
            ],
        },
        "independent": {
            "outlet": "Northern Commuter",
            "authors": ["Sami Lahti"],
            "title": "Commuters brace for three days without trains",
            "paragraphs": [
                "Commuters across the north face three days of disruption after Tarnwick Rail drivers voted for a 72-hour walkout starting Thursday.",
                "Union leader Greta Holm said drivers had been offered a pay rise of 3 percent. \"Nobody wants a strike, but our members cannot keep falling behind,\" she said.",
                "Bus companies in Tarnwick and Holmfirth said they would add extra services on the busiest routes.",
                "Several large employers have told staff to work from home where they can.",
                "Tarnwick Rail said only one train an hour would run between Tarnwick and the coast.",
            ],
        },
        "spun": False,
        "rewrite": False,
    },
    {
        "key": "greyhaven-measles",
        "date": "2024-02-14",
        "wire": {
            "outlet": "Kestrel Wire",
            "authors": ["Dev Anand"],
            "title": "Measles outbreak at Greyhaven schools reaches 14 cases",
            "paragraphs": [
                "GREYHAVEN (Kestrel Wire) — Health officials in Greyhaven have confirmed 14 cases of measles linked to two primary schools, and are urging parents to check that their children are vaccinated.",
                "The first case was reported on February 3 in a pupil at Elm Row school, the regional health office said on Wednesday.",
                "Three children have been treated in hospital, and all are recovering.",
                "Dr. Halima Yusuf, the region's chief health officer, said vaccination rates at the two schools had fallen to about 82 percent.",
                "\"Measles spreads faster than almost any other disease, and two doses of the vaccine protect almost everyone,\" Yusuf said.",
                "Free vaccination clinics will open at both schools on Saturday.",
            ],
        },
        "independent": {
            "outlet": "Greyhaven Herald",
            "authors": ["Nora Blum"],
            "title": "Parents queue for jabs as measles cases rise to 17",
            "paragraphs": [
                "Long queues formed outside the Greyhaven health centre on Thursday as the number of measles cases linked to local schools rose to 17.",
                "Dr. Halima Yusuf, the chief health officer, said two doses of the vaccine protect almost everyone.",
                "Parents at Elm Row school said they had received letters on Monday warning of the outbreak.",
                "\"I did not know my son had only had one dose,\" said Kasia Wren, who waited two hours with her children.",
                "The health office said extra nurses had been brought in from Brantholm to run the weekend clinics.",
            ],
        },
        "spun": False,
        "rewrite": False,
    },
    {
        "key": "solvik-breach",
        "date": "2024-10-22",
        "wire": {
            "outlet": "Kestrel Wire",
            "authors": ["Jonah Pell"],
            "title": "Solvik Systems says hackers stole data of 2 million customers",
            "paragraphs": [
                "OSLAND (Kestrel Wire) — Solvik Systems, the payroll software company, said on Tuesday that hackers had stolen names, addresses and tax numbers of about 2 million customers.",
                "The company said the attackers got in through an old test server that should have been switched off in 2022.",
                "No bank details or passwords were taken, according to Solvik, which has informed the national data protection office.",
                "Chief executive Ingrid Sorlie apologised to customers in a video message. \"We let you down, and we will make it right,\" she said.",
                "Solvik shares fell 9 percent in early trading.",
                "Customers will be offered two years of free identity monitoring.",
            ],
        },
        "independent": {
            "outlet": "TechLedger",
            "authors": ["Ruth Adeyemi"],
            "title": "Solvik breach: forgotten test server let attackers in",
            "paragraphs": [
                "Attackers behind the Solvik Systems breach used a test server that the company had forgotten about, according to two people familiar with the investigation.",
                "Solvik said on Tuesday that data of about 2.4 million customers had been copied, including tax numbers.",
                "Security researcher Lars Mikkel said old servers were a common way in. \"Companies count their front doors and forget the back windows,\" he said.",
                "The data protection office said it had opened an inquiry and could fine the company.",
                "Solvik's chief executive, Ingrid Sorlie, said in a video that the company had let its customers down.",
            ],
        },
        "spun": True,
        "rewrite": False,
    },
    {
        "key": "brightmoor-lanterns",
        "date": "2024-11-09",
        "wire": {
            "outlet": "Kestrel Wire",
            "authors": ["Ana Ruiz"],
            "title": "Storm forces Brightmoor to cancel lantern festival",
            "paragraphs": [
                "BRIGHTMOOR (Kestrel Wire) — Organisers of the Brightmoor lantern festival cancelled this year's parade on Saturday as a storm brought winds of up to 110 kilometres per hour to the coast.",
                "About 30,000 visitors had been expected for the parade, which has been held every November since 1987.",
                "\"Safety comes first. Paper lanterns and gale-force winds do not mix,\" festival director Colette Imrie said.",
                "Trees fell across two roads into the town and the ferry to the islands was suspended.",
                "The organisers said the parade would instead take place on November 23 if the weather allows.",
            ],
        },
        "independent": {
            "outlet": "Coast FM News",
            "authors": ["Ivo Marsh"],
            "title": "Lantern makers disappointed after storm cancels parade",
            "paragraphs": [
                "Volunteers who spent months building giant paper lanterns for the Brightmoor festival say they are disappointed but understand the decision to call it off.",
                "The storm brought winds of up to 130 kilometres per hour to the town on Saturday.",
                "\"We have a dragon that is twelve metres long sitting in a barn,\" said lantern maker Rosa Quill. \"It will wait.\"",
                "Festival director Colette Imrie said the parade had been moved to November 23.",
                "Local cafes said they had lost a big weekend of trade.",
            ],
        },
        "spun": False,
        "rewrite": False,
    },
]

# Rewrites: the same facts in other words and another order, as an AI rewriter would make them.
REWRITES = {
    "valemont-fire": {
        "outlet": "Daily Pulse Digest",
        "title": "Nine-hour blaze hits Valemont harbour warehouse",
        "paragraphs": [
            "A warehouse in Valemont's harbour burned for over nine hours on Tuesday, according to officials.",
            "The regional fire service said the blaze broke out just after midnight in a storage building close to the old fish market.",
            "Around 40 residents were evacuated from their homes as a precaution while crews from three nearby towns joined the effort.",
            "According to fire chief Orla Brennick, paint, rope and marine fuel stored in the building made the fire difficult to control.",
            "\"We were lucky that the wind turned towards the sea,\" Brennick said at the scene. \"Another hour and the houses on Quay Street would have caught.\"",
            "Nobody was hurt. Investigators will examine the site once it cools to find out what caused the fire.",
        ],
    },
    "harrow-beetle": {
        "outlet": "NatureBuzz",
        "title": "Scientists name a new green ground beetle from the Harrow Hills",
        "paragraphs": [
            "A new species of ground beetle that lives only in the moss of the Harrow Hills has been described by scientists at the University of Harrow.",
            "Named Carabus harrowensis, the beetle measures about eight millimetres and has a metallic green shell.",
            "Although the first specimens were found in 2021, the team needed three years of field work and DNA testing before confirming the insect was new to science.",
            "\"It was hiding in plain sight on a hill that thousands of people walk up every summer,\" said entomologist Priya Castell, who led the research.",
            "Because its range is so small, the researchers say the beetle is vulnerable, and they have called for part of the hills to be protected.",
        ],
    },
}

# The content farm's thesaurus: it swaps words blindly, whatever their sense.
SPIN = {
    "said": "stated", "officials": "officers", "fire": "hearth", "battled": "fought",
    "building": "constructing", "residents": "inhabitants", "homes": "houses", "help": "assist",
    "started": "commenced", "according": "in accordance", "town": "city", "reporters": "journalists",
    "known": "recognized", "expected": "anticipated", "closed": "shut", "elected": "chosen",
    "vote": "poll", "former": "previous", "highest": "greatest", "supporters": "followers",
    "work": "labour", "conceded": "admitted", "defeat": "loss", "beating": "thrashing",
    "goal": "objective", "minutes": "mins", "lead": "guide", "corner": "nook",
    "match": "sport", "watched": "seen", "stolen": "nicked", "customers": "clients",
    "company": "agency", "attackers": "assailants", "apologised": "regretted",
    "shares": "stocks", "fell": "dropped", "offered": "supplied", "free": "gratis",
    "switched": "swapped", "message": "communication", "early": "premature",
    "trading": "buying and selling", "night": "evening", "hours": "hrs", "nine": "9",
    "wind": "breeze", "houses": "homes", "caught": "seized", "injured": "harm",
    "harbour": "port", "boats": "vessels", "stay": "remain", "until": "till",
}
