"""The generator's reference data: names, titles, companies, and each country's places, spellings
and phone number ranges (bench/generate.py draws from them).

Part of the bench caches' key (`generate.source_files`): a change here is a new data set.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.generate import _Company


def _words(text: str) -> list[str]:
    return text.split()


# Nicknames map a formal first name to what the same person writes elsewhere.
NICKNAMES: dict[str, tuple[str, ...]] = {
    "Robert": ("Bob", "Rob", "Bobby"), "William": ("Bill", "Will", "Liam"), "Elizabeth": ("Liz", "Beth"),
    "Richard": ("Rick", "Dick"), "James": ("Jim", "Jimmy"), "Michael": ("Mike",), "Thomas": ("Tom",),
    "Margaret": ("Maggie", "Peggy"), "Jennifer": ("Jen", "Jenny"), "Christopher": ("Chris",),
    "Alexander": ("Alex",), "Daniel": ("Dan", "Danny"), "Matthew": ("Matt",), "Stephen": ("Steve",),
    "Andrew": ("Andy", "Drew"), "Benjamin": ("Ben",), "Anthony": ("Tony",), "Susan": ("Sue",),
    "Patricia": ("Patty", "Trish"), "Victoria": ("Vicky",), "Rebecca": ("Becky",), "Joseph": ("Joe",),
    "Katharina": ("Kathi", "Katja"), "Johannes": ("Hannes",), "Wolfgang": ("Wolf",), "Josef": ("Sepp",),
    "Franziska": ("Franzi",), "Stefanie": ("Steffi",), "Maximilian": ("Max",), "Sebastian": ("Basti",),
    "Francisco": ("Paco", "Fran"), "José": ("Pepe",), "Manuel": ("Manolo",), "Dolores": ("Lola",),
    "Ignacio": ("Nacho",), "Alejandro": ("Álex",), "Concepción": ("Conchi",), "Guillermo": ("Memo",),
    "Frédéric": ("Fred",), "Nicolas": ("Nico",), "Emmanuel": ("Manu",), "Catherine": ("Cathy",),
    "Christophe": ("Chris",), "Hendrik": ("Henk",), "Cornelis": ("Kees",), "Pieter": ("Piet",),
    "Jacobus": ("Koos",), "Łukasz": ("Łukas",), "Małgorzata": ("Gosia",),
}  # fmt: skip

# Per country: male first names | female first names | last names (space-separated).
_NAMES = {
    "US": "Robert William James Michael Richard Thomas Christopher Daniel Matthew Anthony Joseph "
    "Jose Carlos Kevin Brian Tyler Jamal DeShawn Wei Hiroshi|Elizabeth Jennifer Patricia Susan "
    "Rebecca Victoria Jessica Ashley Emily Zoë Chloé María Aaliyah Mei Priya Madison|Smith Johnson "
    "Williams Brown Jones García Miller Davis Rodríguez Martínez O'Neil Nguyen Kim Patel Anderson "
    "Thompson White Harris Clark Lewis Walker Young King Wright Scott Green Baker Adams Nelson",
    "GB": "Oliver George Harry Jack William Robert James Thomas Alexander Stephen Andrew Benjamin "
    "Mohammed Łukasz Søren Callum Rhys Seán|Elizabeth Margaret Catherine Olivia Amelia Isla Emily "
    "Sophie Charlotte Zoë Siobhán Niamh Aoife Grace Małgorzata Susan|Smith Jones Taylor Brown "
    "Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White Roberts Green Hall "
    "Wood Jackson Clarke Patel Khan O'Brien McDonald Wiśniewski Kowalczyk Ó_Súilleabháin Nielsen",
    "DE": "Thomas Michael Andreas Stefan Johannes Wolfgang Josef Maximilian Sebastian Jürgen Jörg "
    "Björn Günther Łukasz Mehmet Lukas Fynn|Katharina Franziska Stefanie Sabine Anja Jana Käthe "
    "Lea Sophie Hannah Ayşe Małgorzata Maren Jördis Anna|Müller Schmidt Schneider Fischer Weber "
    "Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer Richter Klein Wolf Schröder Neumann "
    "Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange Weiß Groß Jäger Köhler Yılmaz Öztürk "
    "Nowak Wiśniewski",
    "FR": "Nicolas Frédéric Emmanuel Christophe Jean Pierre Théo Benoît François Jérôme Rémi Gaël "
    "Loïc Hugo Mathéo|Catherine Zoë Chloé Hélène Élodie Léa Manon Camille Inès Maëlle Océane Aurélie "
    "Sophie Anaïs Cécile|Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau "
    "Simon Laurent Lefèvre Michel Garcia David Bertrand Roux Vincent Fournier Girard Bonnet "
    "Lemaître Faure Mercier Blanc Guérin Boyer Gauthier Chevalier",
    "ES": "José Francisco Manuel Ignacio Alejandro Guillermo Antonio Javier Jesús Sergio Ángel "
    "Íñigo Raúl Martín Adrián|Dolores Concepción María Carmen Lucía Begoña Ainhoa Nuria Sofía "
    "Marta Paula Elena Inés Rocío Leticia|Gómez García Rodríguez González Fernández López Martínez "
    "Sánchez Pérez Martín Ruiz Hernández Jiménez Díaz Moreno Muñoz Álvarez Romero Alonso Gutiérrez "
    "Navarro Torres Domínguez Vázquez Ramos Gil Ramírez Núñez Ibáñez Peña",
    "NL": "Hendrik Cornelis Pieter Jacobus Daan Sem Lucas Bram Thijs Joost Maarten Ruud Søren "
    "Sjoerd Jeroen|Sanne Emma Julia Lotte Femke Anouk Maaike Marloes Ilse Eline Fleur Noor Zoë "
    "Ineke Loes|de Jong Jansen de Vries van den Berg van Dijk Bakker Janssen Visser Smit Meijer "
    "de Boer Mulder de Groot Bos Vos Peters Hendriks van Leeuwen Dekker Brouwer de Wit Dijkstra "
    "Smits de Graaf van der Meer",
    "AU": "Jack William Oliver Thomas James Lachlan Cooper Riley Robert Matthew Andrew Daniel "
    "Nguyen Liam Søren|Charlotte Olivia Mia Ava Chloé Isla Matilda Zoë Sienna Ruby Jennifer "
    "Elizabeth Margaret Mei|Smith Jones Williams Brown Wilson Taylor Johnson White Martin Anderson "
    "Thompson Nguyen Tran Thomas Walker Harris Lee Ryan Robinson Kelly King O'Brien Murphy "
    "Campbell Mitchell",
}
# A few two-word Dutch surnames must stay whole, so they are joined with "_" and split back.
for _tussen in ("van den Berg", "van Dijk", "van Leeuwen", "van der Meer", "de Jong", "de Vries",
                "de Boer", "de Groot", "de Wit", "de Graaf"):  # fmt: skip
    _NAMES["NL"] = _NAMES["NL"].replace(_tussen, _tussen.replace(" ", "_"))

TITLES_EN = [
    "Chief Executive Officer", "CEO", "CFO", "Chief Technology Officer", "CTO",
    "Chief Marketing Officer", "CMO", "COO", "Chief Revenue Officer", "Founder & CEO",
    "VP of Sales", "Vice President, Marketing", "SVP Engineering", "VP Finance", "VP, Operations",
    "Director of Marketing", "Sales Director", "IT Director", "Director, Procurement",
    "Head of Growth", "Head of Sales EMEA", "Head of Data", "Head of People", "Head of IT",
    "Marketing Manager", "Sales Manager", "Product Manager", "Office Manager",
    "Procurement Manager", "Account Manager", "Account Executive", "Software Engineer",
    "Senior Software Engineer", "Data Analyst", "Business Development Representative",
    "Marketing Coordinator", "HR Business Partner", "Sr. Accountant", "Customer Success Manager",
]  # fmt: skip
TITLES_LOCAL = {
    "DE": ["Geschäftsführer", "Geschäftsführerin", "Leiter Marketing", "Leiterin Vertrieb",
           "Vertriebsleiter", "Abteilungsleiter Einkauf", "Softwareentwickler", "Prokurist",
           "Bereichsleiter IT", "Vorstandsvorsitzender", "Teamleiterin Personal", "Einkäufer"],
    "FR": ["Directeur Général", "Directrice Marketing", "Responsable Commercial", "Chef de projet",
           "Ingénieur logiciel", "PDG", "Directeur des ventes", "Responsable des achats",
           "Directrice financière", "Chargée de communication", "Développeur"],
    "ES": ["Director General", "Directora de Marketing", "Jefe de Ventas", "Responsable de Compras",
           "Ingeniero de Software", "Consejero Delegado", "Director Comercial",
           "Directora Financiera", "Jefa de Proyecto", "Gerente de Operaciones"],
}  # fmt: skip
COMPANY_A = _words(
    "North Blue Bright Silver Green Red Iron Swift Clear Deep High True Open Star Sun Oak "
    "Pine River Stone Cloud Peak Nova Terra Vita Alpha Aero Hydro Omni Quant Data Core Prime "
    "Smart Next Fair Gold Ever Key Wave Sky Lumen Vector Orbit Apex Zen Polar Cedar Maple "
    "Falcon Harbor"
)
COMPANY_B = _words(
    "wind field gate bridge point works line stone wave path forge port light mark view way "
    "haven ridge spark bay crest dale flow hub leaf loop mint nest rock shore"
)
_INDUSTRY_EN = _words(
    "Analytics Systems Labs Partners Solutions Technologies Consulting Logistics Capital "
    "Health Energy Software Media Foods Robotics"
)


@dataclass(frozen=True, slots=True)
class Block:
    """A number range that validates: a prefix of the national number plus free digits."""

    prefix: str
    free: int
    groups: tuple[int, ...]  # how the national significant number is spaced for display


def cumulative_weights(weights: Sequence[float]) -> list[float]:
    total, running, out = sum(weights), 0.0, []
    for weight in weights:
        running += weight
        out.append(running / total)
    out[-1] = 2.0  # random() < 1 always lands inside, whatever the rounding
    return out


def _blocks(prefixes: str, free: int, groups: tuple[int, ...]) -> list[Block]:
    return [Block(p, free, groups) for p in prefixes.split()]


@dataclass(slots=True)
class Locale:
    """Everything country-specific: names, places, number ranges and spellings."""

    code: str
    calling_code: str
    trunk: str  # national prefix written before the area code ("0"; "" for ES and US)
    male: list[str]
    female: list[str]
    last: list[str]
    cities: list[str]
    spellings: list[str]  # how people write the country, most common first
    suffixes: list[str]
    industry: list[str]
    tld: str
    freemail: list[str]
    linkedin_sub: str
    fixed: list[Block]
    mobile: list[Block]
    spelling_cum: list[float] = field(default_factory=list)
    company_ring: list[_Company] = field(default_factory=list)
    companies: int = 0
    people: int = 0
    name_offset: int = 0


def _locale(code: str, cc: str, trunk: str, places: str, spellings: str, suffixes: str,
            industry: str, tld: str, freemail: str, sub: str, fixed: list[Block],
            mobile: list[Block]) -> Locale:  # fmt: skip
    male, female, last = (part.split() for part in _NAMES[code].split("|"))
    last = [name.replace("_", " ") for name in last]
    written = spellings.split(",")
    return Locale(code, cc, trunk, male, female, last, places.split(","), written,
                   suffixes.split(","), industry.split() or _INDUSTRY_EN, tld, freemail.split(),
                   sub, fixed, mobile, cumulative_weights((8, 4, 3, 1, 1)[: len(written)]))  # fmt: skip


# Number ranges were checked against phonenumbers: every completion of the free digits validates.
_US_AREAS = _words("201 212 213 305 312 404 415 512 617 646 702 713 206 303 469 615 917 718")
_US = _blocks(" ".join(a + d for a in _US_AREAS for d in "23456789"), 6, (3, 3, 4))
_GB_MOBILE = "740 741 742 743 746 747 748 749 751 753 754 755 771 772 773 774 775 780 781 784 790 794 795 797 798 799"
LOCALES: list[Locale] = [
    _locale("US", "1", "", "New York,San Francisco,Chicago,Austin,Boston,Seattle,Denver,Miami,Atlanta,San José",
            "United States,USA,US,United States of America,U.S.", "Inc,Inc.,LLC,Corp.", "", ".com",
            "gmail.com yahoo.com outlook.com hotmail.com icloud.com", "www", _US, _US),
    _locale("GB", "44", "0", "London,Manchester,Birmingham,Leeds,Bristol,Glasgow,Edinburgh,Cambridge,Oxford",
            "United Kingdom,UK,GB,England,Great Britain", "Ltd,Limited,PLC,LLP", "", ".co.uk",
            "gmail.com hotmail.co.uk outlook.com btinternet.com yahoo.co.uk", "uk",
            _blocks("207 203", 7, (2, 4, 4)) + _blocks("161 141", 7, (3, 3, 4))
            + _blocks("1865 1223", 6, (4, 6)), _blocks(_GB_MOBILE, 7, (4, 6))),
    _locale("DE", "49", "0", "Berlin,München,Hamburg,Köln,Frankfurt am Main,Düsseldorf,Stuttgart,Nürnberg",
            "Germany,Deutschland,DE,GER,Allemagne", "GmbH,AG,GmbH & Co. KG,SE",
            "Technik Systeme Logistik Beratung Maschinenbau Handel Software Energie", ".de",
            "gmail.com web.de gmx.de t-online.de gmx.net", "de",
            _blocks("30 89 40 69", 8, (2, 8)) + _blocks("221 211", 7, (3, 7)),
            _blocks("151 152 157 170 171 172 173 174 175 176 177 178 179", 8, (3, 8))),
    _locale("FR", "33", "0", "Paris,Lyon,Marseille,Toulouse,Bordeaux,Lille,Nantes,Orléans,Besançon",
            "France,FR,FRA,République française", "SAS,SA,SARL", "Conseil Solutions Industries "
            "Énergie Logiciels Services Technologies", ".fr",
            "gmail.com orange.fr free.fr laposte.net hotmail.fr", "fr",
            _blocks("1 3", 8, (1, 2, 2, 2, 2)) + _blocks("20 24 41 45 53 55", 7, (1, 2, 2, 2, 2)),
            _blocks("60 61 62 64 65 66 67 68 73 74 75 76 77 78", 7, (1, 2, 2, 2, 2))),
    _locale("ES", "34", "", "Madrid,Barcelona,Valencia,Sevilla,Málaga,Bilbao,Zaragoza,A Coruña,Alicante",
            "Spain,España,ES,ESP,Espagne", "S.L.,S.A.,SL,S.L.U.",
            "Soluciones Consultores Ingeniería Logística Servicios Tecnologías Energía", ".es",
            "gmail.com hotmail.es yahoo.es outlook.es telefonica.net", "es",
            _blocks("91 93 96 95", 7, (3, 2, 2, 2)), _blocks("60 61 62 63 64 65 66 67 68 69", 7, (3, 3, 3))),
    _locale("NL", "31", "0", "Amsterdam,Rotterdam,Den Haag,Utrecht,Eindhoven,Groningen,'s-Hertogenbosch,Delft",
            "Netherlands,The Netherlands,Nederland,NL,Holland", "BV,B.V.,N.V.",
            "Groep Techniek Advies Logistiek Software Diensten Energie", ".nl",
            "gmail.com ziggo.nl kpnmail.nl hotmail.nl outlook.com", "nl",
            _blocks("20 10 30 70 40", 7, (2, 3, 4)), _blocks("61 62 63 64 65 66 68", 7, (1, 8))),
    _locale("AU", "61", "0", "Sydney,Melbourne,Brisbane,Perth,Adelaide,Canberra,Hobart,Gold Coast",
            "Australia,AU,AUS", "Pty Ltd,Pty. Ltd.,Limited", "", ".com.au",
            "gmail.com bigpond.com outlook.com hotmail.com optusnet.com.au", "au",
            _blocks("29 28 39 38 73", 7, (1, 4, 4)), _blocks("40 41 42 43 46", 7, (3, 3, 3))),
]  # fmt: skip
LOCALE_WEIGHTS = [26, 18, 17, 12, 10, 9, 8]
COUNTRY_BY_SPELLING = {s.casefold(): loc.code for loc in LOCALES for s in loc.spellings}
SUFFIX_VARIANTS = {
    "Inc": ("Inc.", ", Inc.", "Incorporated"), "Inc.": ("Inc", ", Inc."), "LLC": (", LLC", "L.L.C."),
    "Corp.": ("Corp", "Corporation"), "Ltd": ("Ltd.", "Limited"), "Limited": ("Ltd", "Ltd."),
    "PLC": ("plc", "Plc"), "LLP": ("L.L.P.",), "GmbH": ("Gmbh", "G.m.b.H."), "AG": ("Aktiengesellschaft",),
    "GmbH & Co. KG": ("GmbH & Co KG", "GmbH"), "SE": ("S.E.",), "SAS": ("S.A.S.", "Sas"),
    "SA": ("S.A.",), "SARL": ("S.A.R.L.", "Sarl"), "S.L.": ("SL", "S.L"), "S.A.": ("SA",),
    "SL": ("S.L.",), "S.L.U.": ("SLU",), "BV": ("B.V.", "bv"), "B.V.": ("BV",), "N.V.": ("NV",),
    "Pty Ltd": ("Pty. Ltd.", "Pty Limited"), "Pty. Ltd.": ("Pty Ltd",),
}  # fmt: skip
PREFIXES = {"US": "Dr. Mr. Ms. Mrs.", "GB": "Dr Mr Mrs Ms Prof.", "DE": "Dr. Herr Frau Prof. Dr.",
             "FR": "M. Mme Dr", "ES": "Sr. Sra. Dr.", "NL": "Dhr. Mevr. Dr.", "AU": "Dr Mr Ms"}  # fmt: skip
ROLES = ("info", "sales", "contact", "hello", "office", "marketing")
SOURCES = ["LinkedIn", "Trade show", "Webinar", "Purchased list", "Referral", "Website",
            "Cold outreach", "Apollo", "ZoomInfo", "Event: Web Summit", "Partner", ""]  # fmt: skip
JUNK_PHONES = ("n/a", "-", "TBD", "0000", "123", "see website", "ext. 204", "???", "0")
KEYBOARD = dict(zip("qwertyuiopasdfghjklzxcvbnm", "wqrtyuiopoaffghjklkxcvbnmn", strict=True))
FOLD = str.maketrans(
    {"ß": "ss", "Ł": "L", "ł": "l", "ø": "o", "Ø": "O", "æ": "ae", "ı": "i", "'": ""}
)
GERMAN = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)
