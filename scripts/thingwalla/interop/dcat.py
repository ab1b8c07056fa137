"""The catalog as DCAT-AP 3 / ADMS-AP RDF (Turtle and JSON-LD), for harvesters such as the Interoperable Europe
Portal and national data portals.

Modelling (ADMS-AP for Joinup 2.0 describes interoperability solutions with DCAT classes):

- the marketplace is a dcat:Catalog (ADMS-AP "Asset Repository");
- each service is a dcat:Dataset (ADMS-AP "Asset"): title, description and keywords per language, the vendor
  as dct:publisher (foaf:Agent) and dcat:contactPoint (vcard), the service page as dcat:landingPage, the EU
  data theme of its category as dcat:theme, its solution type as dct:type (a concept of the catalog's own
  scheme), countries as dct:spatial and interface languages as dct:language (EU authority tables), the date
  listed as dct:issued, ADMS status, and distributions: the website and the source code, each with its licence
  (dct:LicenseDocument typed with the ADMS licence-type vocabulary);
- each API of a service is a dcat:DataService, reached through a distribution (dcat:accessService);
- with git history, each service gets a dcat:CatalogRecord with the dates it was listed and last changed;
- services merged from upstream catalogs sit in one sub-catalog per upstream (dcat:catalog), so a harvester
  sees where each came from.

Every controlled-vocabulary value carries its rdf:type, skos:inScheme and a label in the graph, so the
DCAT-AP SHACL shapes can check it offline. IRIs are the site's own page URLs (with a #fragment for the thing
the page describes), so they resolve to a human-readable page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import json
import re

from rdflib import BNode as _RdfBNode, Graph, Literal as _RdfLiteral, URIRef as _RdfURIRef

from ..model import Catalog, Service, Vendor
from ..site.pages import url_for
from .text import country_alpha3, language_alpha3

# --- terms and a light triple store --------------------------------------------------------------------------
# The builder works on plain values (an IRI is a str, a literal a _Lit, a blank node a _BNode) kept in _Store, and
# the writers below turn them into Turtle and JSON-LD directly: going through an rdflib Graph and its serializers
# cost ~20x more than everything else here (seconds per 1,000 services). catalog_graph() still gives an rdflib Graph.

class _Namespace:
    """An IRI prefix whose attributes are plain str IRIs (rdflib's namespaces are slow to look up, and their
    URIRefs never equal a str). Not a str itself, so DCTERMS.title is a term, not str.title."""

    def __init__(self, base: str):
        self._base = base

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        value = self._base + name
        setattr(self, name, value)  # later look-ups are plain attribute reads
        return value

    def __str__(self) -> str:
        return self._base


class _Lit(tuple):
    """(lexical form, language or None, datatype IRI or None)"""

    __slots__ = ()


class _BNode(str):
    __slots__ = ()


def _iri(value) -> str:
    return str(value)


def _lit(value, lang: str | None = None, datatype: str | None = None) -> _Lit:
    lexical = value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)
    return _Lit((lexical, lang, datatype))


RDF = _Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = _Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = _Namespace("http://www.w3.org/2001/XMLSchema#")
OWL = _Namespace("http://www.w3.org/2002/07/owl#")
SKOS = _Namespace("http://www.w3.org/2004/02/skos/core#")
FOAF = _Namespace("http://xmlns.com/foaf/0.1/")
DCTERMS = _Namespace("http://purl.org/dc/terms/")
DCAT = _Namespace("http://www.w3.org/ns/dcat#")

ADMS = _Namespace("http://www.w3.org/ns/adms#")
VCARD = _Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = _Namespace("http://data.europa.eu/r5r/")
ELI = _Namespace("http://data.europa.eu/eli/ontology#")
EU = "http://publications.europa.eu/resource/authority/"
DATA_THEME = _iri(EU + "data-theme")
LANGUAGE_TABLE = _iri(EU + "language")
COUNTRY_TABLE = _iri(EU + "country")
PUBLISHER_TYPES = _iri("http://purl.org/adms/publishertype/1.0")
LICENCE_TYPES = _iri("http://purl.org/adms/licencetype/1.0")
STATUSES = _iri("http://purl.org/adms/status/1.0")
CHANGE_TYPES = _iri("http://purl.org/adms/changetype/1.0")
DCAT_AP = _iri("http://data.europa.eu/r5r/")
SPDX_LICENCES = "http://spdx.org/licenses/"
LANG_TAGS = {"nb": "nb", "en": "en", "sv": "sv"}

DATA_THEMES = {
    "AGRI": "Agriculture, fisheries, forestry and food", "ECON": "Economy and finance",
    "EDUC": "Education, culture and sport", "ENER": "Energy", "ENVI": "Environment",
    "GOVE": "Government and public sector", "HEAL": "Health", "INTR": "International issues",
    "JUST": "Justice, legal system and public safety", "REGI": "Regions and cities",
    "SOCI": "Population and society", "TECH": "Science and technology", "TRAN": "Transport",
}
# Thingwalla category (or category/solution type) -> EU data theme
THEMES = {
    "business": "ECON", "education": "EDUC", "family-social-welfare": "SOCI", "finance-taxes": "ECON",
    "health": "HEAL", "housing": "REGI", "industry": "AGRI", "industry/energy": "ENER", "environment": "ENVI",
    "transportation": "TRAN", "vehicles-driving": "TRAN", "workplace": "GOVE",
}
STATUS = {"stable": ("Completed", "Completed"), "beta": ("UnderDevelopment", "Under development"),
          "deprecated": ("Deprecated", "Deprecated")}
PUBLISHER_TYPE = {"company": ("Company", "Company"), "cooperative": ("Company", "Company"),
                  "open_source_community": ("NonProfitOrganisation", "Non-Profit Organisation")}
# ADMS publisher-type term -> its English label (one label per concept, whoever refers to it)
PUBLISHER_TYPE_LABEL = dict(PUBLISHER_TYPE.values())
COPYLEFT = ("GPL", "AGPL", "LGPL", "EUPL", "MPL", "EPL", "CDDL", "OSL", "CECILL-2", "CECILL-1", "CC-BY-SA",
            "CC-BY-NC-SA", "ODbL", "CPL", "APSL", "SSPL")
PUBLIC_DOMAIN = ("CC0-1.0", "Unlicense", "0BSD", "PDDL-1.0", "WTFPL")

CONTEXT = {
    "dcat": str(DCAT), "dct": str(DCTERMS), "foaf": str(FOAF), "adms": str(ADMS), "vcard": str(VCARD),
    "skos": str(SKOS), "rdfs": str(RDFS), "xsd": str(XSD), "dcatap": str(DCATAP), "owl": str(OWL),
}


@dataclass(frozen=True)
class Publisher:
    """Who publishes the catalog (the platform, not the vendors)."""

    name: str = "Thingwalla"
    email: str | None = None
    homepage: str | None = None  # defaults to the site's base URL
    kind: str = "NonProfitOrganisation"  # a term of http://purl.org/adms/publishertype/


def catalog_graph(catalog: Catalog, base_url: str, *, publisher: Publisher = Publisher(),
                  history=None, federation=None, metadata_licence: str | None = None,
                  modified: dt.date | None = None) -> Graph:
    """The catalog as an rdflib Graph.

    base_url  the published site's address (mkdocs.yml site_url), e.g. https://thingwalla.github.io/thingwalla/
    history   thingwalla.interop.history.History: adds catalog records (listed / last changed) and dct:modified
    federation thingwalla.interop.federation.FederationResult: services from upstreams go to sub-catalogs
    metadata_licence  IRI of the licence of the metadata itself (e.g. CC0 / CC BY 4.0), when one is decided
    """
    return _triples(catalog, base_url, publisher=publisher, history=history, federation=federation,
                    metadata_licence=metadata_licence, modified=modified).graph()


def _triples(catalog: Catalog, base_url: str, *, publisher: Publisher = Publisher(), history=None, federation=None,
             metadata_licence: str | None = None, modified: dt.date | None = None) -> "_Store":
    return _Builder(catalog, base_url, publisher, history, federation, metadata_licence, modified).build()


def serialize(graph, fmt: str) -> str:
    """'turtle' or 'jsonld' text of an rdflib Graph (or of the builder's own triples)."""
    if fmt not in ("turtle", "jsonld", "json-ld"):
        raise ValueError(f"unknown RDF format '{fmt}' (turtle or jsonld)")
    if isinstance(graph, _Store):
        return _turtle(graph) if fmt == "turtle" else _jsonld(graph)
    if fmt == "turtle":
        return graph.serialize(format="turtle")
    return graph.serialize(format="json-ld", context=CONTEXT, auto_compact=True, indent=1)


def dcat_files(catalog: Catalog, base_url: str, **kwargs) -> dict[str, str]:
    """Files for the site: {'dcat/catalog.ttl': …, 'dcat/catalog.jsonld': …}."""
    triples = _triples(catalog, base_url, **kwargs)
    return {"dcat/catalog.ttl": _turtle(triples), "dcat/catalog.jsonld": _jsonld(triples)}



class _Store:
    """Triples as a set (a graph), kept in the order they were added, grouped by subject and predicate."""

    def __init__(self):
        self.seen: set = set()
        self.subjects: dict = {}

    def add(self, triple) -> None:
        if triple in self.seen:
            return
        self.seen.add(triple)
        s, p, o = triple
        self.subjects.setdefault(s, {}).setdefault(p, []).append(o)

    def __contains__(self, triple) -> bool:
        return triple in self.seen

    def __len__(self) -> int:
        return len(self.seen)

    def graph(self) -> Graph:
        graph = Graph(bind_namespaces="core")
        for prefix, ns in CONTEXT.items():
            graph.bind(prefix, ns)
        terms: dict = {}

        def term(value):
            node = terms.get(value) if not isinstance(value, _Lit) else None
            if node is None:
                if isinstance(value, _Lit):
                    lexical, lang, datatype = value
                    return _RdfLiteral(lexical, lang=lang, datatype=_RdfURIRef(datatype) if datatype else None)
                node = _RdfBNode(value) if isinstance(value, _BNode) else _RdfURIRef(value)
                terms[value] = node
            return node

        for s, p, o in self.seen:
            graph.add((term(s), term(p), term(o)))
        return graph


_PREFIXES = sorted(((str(ns), prefix) for prefix, ns in {**{"rdf": str(RDF)}, **{k: str(v) for k, v in
                   {"dcat": DCAT, "dct": DCTERMS, "foaf": FOAF, "adms": ADMS, "vcard": VCARD, "skos": SKOS,
                    "rdfs": RDFS, "xsd": XSD, "dcatap": DCATAP, "owl": OWL}.items()}}.items()),
                   key=lambda item: -len(item[0]))
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_IRI_ESCAPE = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _qname(iri: str) -> str | None:
    for ns, prefix in _PREFIXES:
        if iri.startswith(ns) and _LOCAL.match(iri, len(ns)):
            return f"{prefix}:{iri[len(ns):]}"
    return None


def _turtle(store: _Store) -> str:
    """Turtle: prefixes, then one block per subject (predicates and classes as prefixed names)."""
    names: dict[str, str] = {}  # predicate and class IRI -> prefixed name (or <IRI>)
    iris: dict[str, str] = {}

    def iri(value: str) -> str:
        text = iris.get(value)
        if text is None:
            if isinstance(value, _BNode):
                text = f"_:{value}"
            else:
                text = "<" + _IRI_ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04X}", value) + ">"
            iris[value] = text
        return text

    def name(value: str) -> str:
        text = names.get(value)
        if text is None:
            text = names[value] = _qname(value) or iri(value)
        return text

    def literal(value: _Lit) -> str:
        lexical, lang, datatype = value
        text = '"' + lexical.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'
        if lang:
            return f"{text}@{lang}"
        if datatype:
            return f"{text}^^{name(datatype)}"
        return text

    rdf_type = str(RDF.type)
    out = [f"@prefix {prefix}: <{ns}> .\n" for ns, prefix in sorted(_PREFIXES, key=lambda item: item[1])]
    out.append("\n")
    for subject, predicates in store.subjects.items():
        lines = []
        for predicate, objects in predicates.items():
            joiner = ", " if len(objects) <= 3 else ",\n        "  # a long list: one object per line
            if predicate == rdf_type:
                lines.append("a " + joiner.join(name(o) for o in objects))
            else:
                lines.append(name(predicate) + " " + joiner.join(
                    literal(o) if isinstance(o, _Lit) else iri(o) for o in objects))
        out.append(iri(subject) + " " + " ;\n    ".join(lines) + " .\n\n")
    return "".join(out)


def _jsonld(store: _Store) -> str:
    """JSON-LD with the prefixes as its context: one node object per line in @graph."""
    keys: dict[str, str] = {}

    def key(value: str) -> str:
        text = keys.get(value)
        if text is None:
            text = keys[value] = _qname(value) or value
        return text

    def value(o):
        if isinstance(o, _Lit):
            lexical, lang, datatype = o
            if lang:
                return {"@value": lexical, "@language": lang}
            if datatype:
                return {"@value": lexical, "@type": key(datatype)}
            return lexical
        return {"@id": f"_:{o}" if isinstance(o, _BNode) else o}

    rdf_type = str(RDF.type)
    nodes = []
    for subject, predicates in store.subjects.items():
        node = {"@id": f"_:{subject}" if isinstance(subject, _BNode) else subject}
        for predicate, objects in predicates.items():
            if predicate == rdf_type:
                node["@type"] = [key(o) for o in objects]
            else:
                node[key(predicate)] = [value(o) for o in objects]
        nodes.append(json.dumps(node, ensure_ascii=False))
    context = json.dumps({"@context": CONTEXT}, ensure_ascii=False, indent=1)
    return context[:-2] + ',\n "@graph": [\n' + ",\n".join(nodes) + "\n ]\n}\n"


class _Builder:
    def __init__(self, catalog, base_url, publisher, history, federation, metadata_licence, modified):
        self.catalog = catalog
        self.base = base_url if base_url.endswith("/") else base_url + "/"
        self.publisher = publisher
        self.history = history
        self.federation = federation
        self.metadata_licence = metadata_licence
        self.modified = modified
        self.g = _Store()
        self.bnodes = 0
        self.concepts: set[str] = set()

    # helpers
    def bnode(self) -> _BNode:
        self.bnodes += 1
        return _BNode(f"b{self.bnodes}")

    def page(self, kind: str, ident: str | None = None, lang: str = "nb", base: str | None = None) -> str:
        return _iri((base or self.base) + url_for(kind, lang, ident))

    def add(self, s, p, o):
        self.g.add((s, p, o))

    def texts(self, subject, predicate, values: dict, fallback: str | None = None):
        added = False
        for lang, value in values.items():
            if value and lang in LANG_TAGS:
                self.add(subject, predicate, _lit(value, lang=LANG_TAGS[lang]))
                added = True
        if not added and fallback:
            self.add(subject, predicate, _lit(fallback))

    def concept(self, iri: str, scheme: str, labels: dict, extra_type=None) -> str:
        # Each concept's triples are the same every time (its labels come from the taxonomy or tables here):
        # added once, not again for each of 10,000 services.
        if iri in self.concepts:
            return iri
        self.concepts.add(iri)
        self.add(iri, RDF.type, SKOS.Concept)
        if extra_type is not None:
            self.add(iri, RDF.type, extra_type)
        self.add(iri, SKOS.inScheme, scheme)
        self.texts(iri, SKOS.prefLabel, labels)
        return iri

    def scheme(self, iri: str, title: str):
        if (iri, RDF.type, SKOS.ConceptScheme) not in self.g:
            self.add(iri, RDF.type, SKOS.ConceptScheme)
            self.add(iri, DCTERMS.title, _lit(title, lang="en"))
        return iri

    def document(self, url: str) -> str:
        iri = _iri(url)
        self.add(iri, RDF.type, FOAF.Document)
        return iri

    def language(self, code: str) -> str | None:
        alpha3 = language_alpha3(code)
        if not alpha3:
            return None
        from ..validate.identifiers import language_name

        iri = _iri(f"{EU}language/{alpha3.upper()}")
        if iri in self.concepts:  # (its names looked up once, not for each service)
            return iri
        self.scheme(LANGUAGE_TABLE, "Languages (EU authority table)")
        self.concept(iri, LANGUAGE_TABLE, {"en": language_name(code, "en"), "nb": language_name(code, "nb")},
                     DCTERMS.LinguisticSystem)
        return iri

    def country(self, code: str) -> str | None:
        alpha3 = country_alpha3(code)
        if not alpha3:
            return None
        from ..validate.identifiers import country_name

        iri = _iri(f"{EU}country/{alpha3}")
        if iri in self.concepts:
            return iri
        self.scheme(COUNTRY_TABLE, "Countries and territories (EU authority table)")
        self.concept(iri, COUNTRY_TABLE, {"en": country_name(code, "en"), "nb": country_name(code, "nb")},
                     DCTERMS.Location)
        return iri

    def theme(self, service: Service) -> str | None:
        code = THEMES.get(f"{service.category.id}/{service.solution_type.id}") or THEMES.get(service.category.id)
        if not code:
            return None
        self.scheme(DATA_THEME, "Data theme (EU authority table)")
        return self.concept(_iri(f"{EU}data-theme/{code}"), DATA_THEME, {"en": DATA_THEMES[code]})

    # the graph
    def build(self) -> "_Store":
        g, cat = self.g, _iri(self.base + "#catalog")
        self.add(cat, RDF.type, DCAT.Catalog)
        self.add(cat, DCTERMS.title, _lit("Thingwalla", lang="nb"))
        self.add(cat, DCTERMS.title, _lit("Thingwalla", lang="en"))
        sample = any(s.sample for s in self.catalog.services.values())
        note_nb = " Alt innhold er eksempeldata: tjenestene, leverandørene og kjøperne er oppdiktet." if sample else ""
        note_en = " All content is sample data: the services, vendors and buyers are fictional." if sample else ""
        self.add(cat, DCTERMS.description, _lit(
            "Markedsplass for digitale tjenester til kommuner og andre offentlige virksomheter i Norge og Sverige."
            + note_nb, lang="nb"))
        self.add(cat, DCTERMS.description, _lit(
            "Marketplace of digital services for municipalities and other public bodies in Norway and Sweden."
            + note_en, lang="en"))
        self.add(cat, DCTERMS.publisher, self.platform())
        self.add(cat, FOAF.homepage, self.document(self.publisher.homepage or self.base))
        for code in ("nb", "en"):
            self.add(cat, DCTERMS.language, self.language(code))
        countries = sorted({c for s in self.catalog.services.values() for c in s.countries})
        for code in countries:
            iri = self.country(code)
            if iri is not None:
                self.add(cat, DCTERMS.spatial, iri)
        self.add(cat, DCAT.themeTaxonomy, self.scheme(DATA_THEME, "Data theme (EU authority table)"))
        if self.metadata_licence:
            licence = _iri(self.metadata_licence)
            self.add(licence, RDF.type, DCTERMS.LicenseDocument)
            self.add(cat, DCTERMS.license, licence)
        issued = min((s.listed for s in self.catalog.services.values() if s.listed), default=None)
        if issued:
            self.add(cat, DCTERMS.issued, _lit(issued, datatype=XSD.date))
        modified = self.modified or (self.history.last_commit_date() if self.history else None)
        if modified:
            self.add(cat, DCTERMS.modified, _lit(modified, datatype=XSD.date))
        subcatalogs: dict[str, str] = {}
        for service in sorted(self.catalog.services.values(), key=lambda s: s.id):
            provenance = self.federation.provenance_of(service) if self.federation else None
            parent = cat
            if provenance is not None:
                parent = subcatalogs.get(provenance.upstream.id) or self.subcatalog(cat, provenance, subcatalogs)
            dataset, services = self.service(service, provenance)
            self.add(parent, DCAT.dataset, dataset)
            for data_service in services:
                self.add(parent, DCAT.service, data_service)
            if self.history and provenance is None:
                self.record(parent, service, dataset)
        return g

    def platform(self) -> str:
        agent = _iri(self.base + "#publisher")
        self.add(agent, RDF.type, FOAF.Agent)
        self.add(agent, RDF.type, FOAF.Organization)
        self.add(agent, FOAF.name, _lit(self.publisher.name))
        self.add(agent, DCTERMS.type, self.concept(_iri(f"http://purl.org/adms/publishertype/{self.publisher.kind}"),
                                                   self.scheme(PUBLISHER_TYPES, "Publisher type"),
                                                   {"en": PUBLISHER_TYPE_LABEL.get(self.publisher.kind,
                                                                                   self.publisher.kind)}))
        return agent

    def subcatalog(self, parent: str, provenance, known: dict) -> str:
        upstream = provenance.upstream
        base = upstream.site or (upstream.url.rsplit("/", 1)[0] + "/" if upstream.url else self.base + "upstreams/")
        iri = _iri(base + "#catalog") if upstream.site or upstream.url else _iri(f"{self.base}#upstream-{upstream.id}")
        self.add(iri, RDF.type, DCAT.Catalog)
        self.texts(iri, DCTERMS.title, upstream.name, upstream.id)
        self.add(iri, DCTERMS.description, _lit(
            f"Tjenester fra {provenance.name('nb')}, vist på Thingwalla med opprinnelse oppgitt.", lang="nb"))
        self.add(iri, DCTERMS.description, _lit(
            f"Services from {provenance.name('en')}, shown on Thingwalla with their origin.", lang="en"))
        agent = _iri(f"{base}#publisher") if upstream.site or upstream.url else _iri(f"{self.base}#upstream-{upstream.id}-publisher")
        self.add(agent, RDF.type, FOAF.Agent)
        self.add(agent, FOAF.name, _lit(provenance.name("en") or upstream.id))
        self.add(iri, DCTERMS.publisher, agent)
        if upstream.site:
            self.add(iri, FOAF.homepage, self.document(upstream.site))
        self.add(parent, DCAT.catalog, iri)
        known[upstream.id] = iri
        return iri

    def vendor(self, vendor: Vendor, base: str) -> str:
        agent = _iri(str(self.page("vendors", vendor.id, base=base)) + "#organisation")
        if (agent, RDF.type, FOAF.Agent) in self.g:
            return agent
        self.add(agent, RDF.type, FOAF.Agent)
        self.add(agent, RDF.type, FOAF.Organization)
        self.add(agent, FOAF.name, _lit(vendor.legal_name))
        kind = PUBLISHER_TYPE.get(vendor.kind)
        if kind:
            self.add(agent, DCTERMS.type, self.concept(_iri(f"http://purl.org/adms/publishertype/{kind[0]}"),
                                                       self.scheme(PUBLISHER_TYPES, "Publisher type"), {"en": kind[1]}))
        if vendor.website:
            self.add(agent, FOAF.homepage, self.document(vendor.website))
        if vendor.org_number:
            identifier = self.bnode()
            self.add(identifier, RDF.type, ADMS.Identifier)
            self.add(identifier, SKOS.notation, _lit(vendor.org_number))
            self.add(identifier, ADMS.schemeAgency, _lit(
                {"NO": "Brønnøysundregistrene (Enhetsregisteret)", "SE": "Bolagsverket"}.get(vendor.country, vendor.country)))
            self.add(agent, ADMS.identifier, identifier)
        return agent

    def contact(self, vendor: Vendor, base: str) -> str:
        contact = _iri(str(self.page("vendors", vendor.id, base=base)) + "#contact")
        if (contact, RDF.type, VCARD.Kind) in self.g:
            return contact
        self.add(contact, RDF.type, VCARD.Kind)
        self.add(contact, RDF.type, VCARD.Organization)
        self.add(contact, VCARD.fn, _lit(vendor.display_name))
        if vendor.email:
            self.add(contact, VCARD.hasEmail, _iri(f"mailto:{vendor.email}"))
        if vendor.website:
            self.add(contact, VCARD.hasURL, _iri(vendor.website))
        return contact

    def licence(self, service: Service) -> str:
        expression = service.licence
        simple = expression != "proprietary" and all(ch not in expression for ch in " ()")
        node = _iri(SPDX_LICENCES + expression) if simple else self.bnode()
        if (node, RDF.type, DCTERMS.LicenseDocument) in self.g:
            return node
        self.add(node, RDF.type, DCTERMS.LicenseDocument)
        if expression == "proprietary":
            self.add(node, RDFS.label, _lit("Proprietær lisens (leverandørens vilkår)", lang="nb"))
            self.add(node, RDFS.label, _lit("Proprietary licence (the vendor's terms)", lang="en"))
            kind = ("RoyaltiesRequired", "Royalties required") if service.pricing_model != "free" \
                else ("OtherRestrictiveClauses", "Other restrictive clauses")
        else:
            self.add(node, RDFS.label, _lit(expression))
            ids = [part for part in expression.replace("(", " ").replace(")", " ").split()
                   if part not in ("AND", "OR", "WITH")]
            if ids and all(i in PUBLIC_DOMAIN for i in ids):
                kind = ("PublicDomain", "Public domain")
            elif any(i.startswith(COPYLEFT) for i in ids):
                kind = ("ViralEffect-ShareAlike", "Viral effect (a.k.a. Share-alike)")
            else:
                kind = ("Attribution", "Attribution")
        self.add(node, DCTERMS.type, self.concept(_iri(f"http://purl.org/adms/licencetype/{kind[0]}"),
                                                  self.scheme(LICENCE_TYPES, "Licence type"), {"en": kind[1]}))
        return node

    def service(self, service: Service, provenance) -> tuple[str, list[str]]:
        # a federated service's vendor lives on the upstream's site; its page here is under /andre-kataloger/
        base = provenance.upstream.site if provenance is not None and provenance.upstream.site else self.base
        page = self.page("federated" if provenance is not None else "services", service.id)
        dataset = _iri(str(page) + "#service")
        if provenance is not None and provenance.upstream.site:
            dataset = _iri(provenance.page_url("services", service.id) + "#service")
        add = self.add
        add(dataset, RDF.type, DCAT.Dataset)
        add(dataset, DCTERMS.identifier, _lit(service.id))
        self.texts(dataset, DCTERMS.title, dict(service.name), service.id)
        descriptions = {lang: (text or dict(service.tagline).get(lang))
                        for lang, text in {**dict(service.tagline), **dict(service.description)}.items()}
        self.texts(dataset, DCTERMS.description, descriptions, service.id)
        for tag in service.tags:
            add(dataset, DCAT.keyword, _lit(tag))
        if service.sample:
            add(dataset, RDFS.comment, _lit("Eksempeldata: oppdiktet oppføring.", lang="nb"))
            add(dataset, RDFS.comment, _lit("Sample data: a fictional entry.", lang="en"))
        publisher = self.vendor(service.vendor, base)
        add(dataset, DCTERMS.publisher, publisher)
        add(dataset, DCAT.contactPoint, self.contact(service.vendor, base))
        add(dataset, DCAT.landingPage, self.document(str(page)))
        theme = self.theme(service)
        if theme is not None:
            add(dataset, DCAT.theme, theme)
        # the catalog's own taxonomy: solution type as the asset type, category as its broader concept
        scheme = self.scheme(_iri(self.base + "#categories"), "Thingwalla categories and solution types")
        category = self.concept(_iri(str(self.page("categories", service.category.id)) + "#category"), scheme,
                                dict(service.category.name))
        solution = self.concept(_iri(f"{self.page('categories', service.category.id)}#{service.solution_type.id}"),
                                scheme, dict(service.solution_type.name))
        add(solution, SKOS.broader, category)
        add(dataset, DCTERMS.type, solution)
        for code in service.countries:
            iri = self.country(code)
            if iri is not None:
                add(dataset, DCTERMS.spatial, iri)
        for code in service.languages:
            iri = self.language(code)
            if iri is not None:
                add(dataset, DCTERMS.language, iri)
        if service.listed:
            add(dataset, DCTERMS.issued, _lit(service.listed, datatype=XSD.date))
        if self.history and provenance is None:
            changed = self.history.last_changed(service.id)
            if changed:
                add(dataset, DCTERMS.modified, _lit(changed.date(), datatype=XSD.date))
        status, label = STATUS[service.status]
        add(dataset, ADMS.status, self.concept(_iri(f"http://purl.org/adms/status/{status}"),
                                               self.scheme(STATUSES, "Status"), {"en": label}))
        if service.links.get("documentation"):
            add(dataset, FOAF.page, self.document(service.links["documentation"]))
        licence = self.licence(service)
        distributions = [("website", service.links.get("website"), {"nb": "Nettsted", "en": "Website"})]
        if service.links.get("source_code"):
            distributions.append(("source", service.links["source_code"], {"nb": "Kildekode", "en": "Source code"}))
        for key, url, titles in distributions:
            if not url:
                continue
            distribution = _iri(f"{dataset}-{key}")
            add(dataset, DCAT.distribution, distribution)
            add(distribution, RDF.type, DCAT.Distribution)
            add(distribution, DCAT.accessURL, _iri(url))
            add(distribution, DCTERMS.license, licence)
            self.texts(distribution, DCTERMS.title, titles)
        data_services = []
        for index, api in enumerate(service.apis, start=1):
            api_iri = _iri(f"{dataset}-api-{index}")
            add(api_iri, RDF.type, DCAT.DataService)
            add(api_iri, DCTERMS.title, _lit(api.name))
            self.texts(api_iri, DCTERMS.description, dict(api.description))
            add(api_iri, DCAT.endpointURL, _iri(api.url))
            add(api_iri, DCAT.keyword, _lit(api.kind))
            add(api_iri, DCAT.servesDataset, dataset)
            add(api_iri, DCTERMS.publisher, publisher)
            add(api_iri, DCAT.contactPoint, self.contact(service.vendor, base))
            add(api_iri, DCAT.landingPage, self.document(str(page)))
            if theme is not None:
                add(api_iri, DCAT.theme, theme)
            distribution = _iri(f"{dataset}-api-{index}-access")
            add(dataset, DCAT.distribution, distribution)
            add(distribution, RDF.type, DCAT.Distribution)
            add(distribution, DCAT.accessURL, _iri(api.url))
            add(distribution, DCAT.accessService, api_iri)
            add(distribution, DCTERMS.license, licence)
            add(distribution, DCTERMS.title, _lit(api.name))
            data_services.append(api_iri)
        if provenance is not None:
            add(dataset, DCTERMS.source, _iri(provenance.upstream.url) if provenance.upstream.url
                else _lit(provenance.upstream.source))
        return dataset, data_services

    def record(self, catalog: str, service: Service, dataset: str) -> None:
        first, last = self.history.first_seen(service.id), self.history.last_changed(service.id)
        if not last:
            return
        record = _iri(str(self.page("services", service.id)) + "#record")
        self.add(catalog, DCAT.record, record)
        self.add(record, RDF.type, DCAT.CatalogRecord)
        self.add(record, FOAF.primaryTopic, dataset)
        self.add(record, DCTERMS.modified, _lit(last.date(), datatype=XSD.date))
        if first:
            self.add(record, DCTERMS.issued, _lit(first.date(), datatype=XSD.date))
        standard = DCAT_AP
        self.add(standard, RDF.type, DCTERMS.Standard)
        self.add(record, DCTERMS.conformsTo, standard)
        change = "created" if first and first == last else "updated"
        self.add(record, ADMS.status, self.concept(_iri(f"http://purl.org/adms/changetype/{change}"),
                                                   self.scheme(CHANGE_TYPES, "Change type"), {"en": change}))
