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

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, XSD

from ..model import Catalog, Service, Vendor
from ..site.pages import url_for
from .text import country_alpha3, language_alpha3

ADMS = Namespace("http://www.w3.org/ns/adms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
EU = "http://publications.europa.eu/resource/authority/"
DATA_THEME = URIRef(EU + "data-theme")
LANGUAGE_TABLE = URIRef(EU + "language")
COUNTRY_TABLE = URIRef(EU + "country")
PUBLISHER_TYPES = URIRef("http://purl.org/adms/publishertype/1.0")
LICENCE_TYPES = URIRef("http://purl.org/adms/licencetype/1.0")
STATUSES = URIRef("http://purl.org/adms/status/1.0")
CHANGE_TYPES = URIRef("http://purl.org/adms/changetype/1.0")
DCAT_AP = URIRef("http://data.europa.eu/r5r/")
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
    return _Builder(catalog, base_url, publisher, history, federation, metadata_licence, modified).build()


def serialize(graph: Graph, fmt: str) -> str:
    """'turtle' or 'jsonld' text."""
    if fmt == "turtle":
        return graph.serialize(format="turtle")
    if fmt in ("jsonld", "json-ld"):
        return graph.serialize(format="json-ld", context=CONTEXT, auto_compact=True, indent=1)
    raise ValueError(f"unknown RDF format '{fmt}' (turtle or jsonld)")


def dcat_files(catalog: Catalog, base_url: str, **kwargs) -> dict[str, str]:
    """Files for the site: {'dcat/catalog.ttl': …, 'dcat/catalog.jsonld': …}."""
    graph = catalog_graph(catalog, base_url, **kwargs)
    return {"dcat/catalog.ttl": serialize(graph, "turtle"), "dcat/catalog.jsonld": serialize(graph, "jsonld")}


class _Builder:
    def __init__(self, catalog, base_url, publisher, history, federation, metadata_licence, modified):
        self.catalog = catalog
        self.base = base_url if base_url.endswith("/") else base_url + "/"
        self.publisher = publisher
        self.history = history
        self.federation = federation
        self.metadata_licence = metadata_licence
        self.modified = modified
        self.g = Graph(bind_namespaces="core")
        for prefix, ns in CONTEXT.items():
            self.g.bind(prefix, ns)

    # helpers
    def page(self, kind: str, ident: str | None = None, lang: str = "nb", base: str | None = None) -> URIRef:
        return URIRef((base or self.base) + url_for(kind, lang, ident))

    def add(self, s, p, o):
        self.g.add((s, p, o))

    def texts(self, subject, predicate, values: dict, fallback: str | None = None):
        added = False
        for lang, value in values.items():
            if value and lang in LANG_TAGS:
                self.add(subject, predicate, Literal(value, lang=LANG_TAGS[lang]))
                added = True
        if not added and fallback:
            self.add(subject, predicate, Literal(fallback))

    def concept(self, iri: URIRef, scheme: URIRef, labels: dict, extra_type=None) -> URIRef:
        self.add(iri, RDF.type, SKOS.Concept)
        if extra_type is not None:
            self.add(iri, RDF.type, extra_type)
        self.add(iri, SKOS.inScheme, scheme)
        self.texts(iri, SKOS.prefLabel, labels)
        return iri

    def scheme(self, iri: URIRef, title: str):
        if (iri, RDF.type, SKOS.ConceptScheme) not in self.g:
            self.add(iri, RDF.type, SKOS.ConceptScheme)
            self.add(iri, DCTERMS.title, Literal(title, lang="en"))
        return iri

    def document(self, url: str) -> URIRef:
        iri = URIRef(url)
        self.add(iri, RDF.type, FOAF.Document)
        return iri

    def language(self, code: str) -> URIRef | None:
        alpha3 = language_alpha3(code)
        if not alpha3:
            return None
        from ..validate.identifiers import language_name

        iri = URIRef(f"{EU}language/{alpha3.upper()}")
        self.scheme(LANGUAGE_TABLE, "Languages (EU authority table)")
        self.concept(iri, LANGUAGE_TABLE, {"en": language_name(code, "en"), "nb": language_name(code, "nb")},
                     DCTERMS.LinguisticSystem)
        return iri

    def country(self, code: str) -> URIRef | None:
        alpha3 = country_alpha3(code)
        if not alpha3:
            return None
        from ..validate.identifiers import country_name

        iri = URIRef(f"{EU}country/{alpha3}")
        self.scheme(COUNTRY_TABLE, "Countries and territories (EU authority table)")
        self.concept(iri, COUNTRY_TABLE, {"en": country_name(code, "en"), "nb": country_name(code, "nb")},
                     DCTERMS.Location)
        return iri

    def theme(self, service: Service) -> URIRef | None:
        code = THEMES.get(f"{service.category.id}/{service.solution_type.id}") or THEMES.get(service.category.id)
        if not code:
            return None
        self.scheme(DATA_THEME, "Data theme (EU authority table)")
        return self.concept(URIRef(f"{EU}data-theme/{code}"), DATA_THEME, {"en": DATA_THEMES[code]})

    # the graph
    def build(self) -> Graph:
        g, cat = self.g, URIRef(self.base + "#catalog")
        self.add(cat, RDF.type, DCAT.Catalog)
        self.add(cat, DCTERMS.title, Literal("Thingwalla", lang="nb"))
        self.add(cat, DCTERMS.title, Literal("Thingwalla", lang="en"))
        sample = any(s.sample for s in self.catalog.services.values())
        note_nb = " Alt innhold er eksempeldata: tjenestene, leverandørene og kjøperne er oppdiktet." if sample else ""
        note_en = " All content is sample data: the services, vendors and buyers are fictional." if sample else ""
        self.add(cat, DCTERMS.description, Literal(
            "Markedsplass for digitale tjenester til kommuner og andre offentlige virksomheter i Norge og Sverige."
            + note_nb, lang="nb"))
        self.add(cat, DCTERMS.description, Literal(
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
            licence = URIRef(self.metadata_licence)
            self.add(licence, RDF.type, DCTERMS.LicenseDocument)
            self.add(cat, DCTERMS.license, licence)
        issued = min((s.listed for s in self.catalog.services.values() if s.listed), default=None)
        if issued:
            self.add(cat, DCTERMS.issued, Literal(issued, datatype=XSD.date))
        modified = self.modified or (self.history.last_commit_date() if self.history else None)
        if modified:
            self.add(cat, DCTERMS.modified, Literal(modified, datatype=XSD.date))
        subcatalogs: dict[str, URIRef] = {}
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

    def platform(self) -> URIRef:
        agent = URIRef(self.base + "#publisher")
        self.add(agent, RDF.type, FOAF.Agent)
        self.add(agent, RDF.type, FOAF.Organization)
        self.add(agent, FOAF.name, Literal(self.publisher.name))
        self.add(agent, DCTERMS.type, self.concept(URIRef(f"http://purl.org/adms/publishertype/{self.publisher.kind}"),
                                                   self.scheme(PUBLISHER_TYPES, "Publisher type"),
                                                   {"en": self.publisher.kind}))
        return agent

    def subcatalog(self, parent: URIRef, provenance, known: dict) -> URIRef:
        upstream = provenance.upstream
        base = upstream.site or (upstream.url.rsplit("/", 1)[0] + "/" if upstream.url else self.base + "upstreams/")
        iri = URIRef(base + "#catalog") if upstream.site or upstream.url else URIRef(f"{self.base}#upstream-{upstream.id}")
        self.add(iri, RDF.type, DCAT.Catalog)
        self.texts(iri, DCTERMS.title, upstream.name, upstream.id)
        self.add(iri, DCTERMS.description, Literal(
            f"Tjenester fra {provenance.name('nb')}, vist på Thingwalla med opprinnelse oppgitt.", lang="nb"))
        self.add(iri, DCTERMS.description, Literal(
            f"Services from {provenance.name('en')}, shown on Thingwalla with their origin.", lang="en"))
        agent = URIRef(f"{base}#publisher") if upstream.site or upstream.url else URIRef(f"{self.base}#upstream-{upstream.id}-publisher")
        self.add(agent, RDF.type, FOAF.Agent)
        self.add(agent, FOAF.name, Literal(provenance.name("en") or upstream.id))
        self.add(iri, DCTERMS.publisher, agent)
        if upstream.site:
            self.add(iri, FOAF.homepage, self.document(upstream.site))
        self.add(parent, DCAT.catalog, iri)
        known[upstream.id] = iri
        return iri

    def vendor(self, vendor: Vendor, base: str) -> URIRef:
        agent = URIRef(str(self.page("vendors", vendor.id, base=base)) + "#organisation")
        if (agent, RDF.type, FOAF.Agent) in self.g:
            return agent
        self.add(agent, RDF.type, FOAF.Agent)
        self.add(agent, RDF.type, FOAF.Organization)
        self.add(agent, FOAF.name, Literal(vendor.legal_name))
        kind = PUBLISHER_TYPE.get(vendor.kind)
        if kind:
            self.add(agent, DCTERMS.type, self.concept(URIRef(f"http://purl.org/adms/publishertype/{kind[0]}"),
                                                       self.scheme(PUBLISHER_TYPES, "Publisher type"), {"en": kind[1]}))
        if vendor.website:
            self.add(agent, FOAF.homepage, self.document(vendor.website))
        if vendor.org_number:
            identifier = BNode()
            self.add(identifier, RDF.type, ADMS.Identifier)
            self.add(identifier, SKOS.notation, Literal(vendor.org_number))
            self.add(identifier, ADMS.schemeAgency, Literal(
                {"NO": "Brønnøysundregistrene (Enhetsregisteret)", "SE": "Bolagsverket"}.get(vendor.country, vendor.country)))
            self.add(agent, ADMS.identifier, identifier)
        return agent

    def contact(self, vendor: Vendor, base: str) -> URIRef:
        contact = URIRef(str(self.page("vendors", vendor.id, base=base)) + "#contact")
        if (contact, RDF.type, VCARD.Kind) in self.g:
            return contact
        self.add(contact, RDF.type, VCARD.Kind)
        self.add(contact, RDF.type, VCARD.Organization)
        self.add(contact, VCARD.fn, Literal(vendor.display_name))
        if vendor.email:
            self.add(contact, VCARD.hasEmail, URIRef(f"mailto:{vendor.email}"))
        if vendor.website:
            self.add(contact, VCARD.hasURL, URIRef(vendor.website))
        return contact

    def licence(self, service: Service) -> URIRef | BNode:
        expression = service.licence
        simple = expression != "proprietary" and all(ch not in expression for ch in " ()")
        node = URIRef(SPDX_LICENCES + expression) if simple else BNode()
        if (node, RDF.type, DCTERMS.LicenseDocument) in self.g:
            return node
        self.add(node, RDF.type, DCTERMS.LicenseDocument)
        if expression == "proprietary":
            self.add(node, RDFS.label, Literal("Proprietær lisens (leverandørens vilkår)", lang="nb"))
            self.add(node, RDFS.label, Literal("Proprietary licence (the vendor's terms)", lang="en"))
            kind = ("RoyaltiesRequired", "Royalties required") if service.pricing_model != "free" \
                else ("OtherRestrictiveClauses", "Other restrictive clauses")
        else:
            self.add(node, RDFS.label, Literal(expression))
            ids = [part for part in expression.replace("(", " ").replace(")", " ").split()
                   if part not in ("AND", "OR", "WITH")]
            if ids and all(i in PUBLIC_DOMAIN for i in ids):
                kind = ("PublicDomain", "Public domain")
            elif any(i.startswith(COPYLEFT) for i in ids):
                kind = ("ViralEffect-ShareAlike", "Viral effect (a.k.a. Share-alike)")
            else:
                kind = ("Attribution", "Attribution")
        self.add(node, DCTERMS.type, self.concept(URIRef(f"http://purl.org/adms/licencetype/{kind[0]}"),
                                                  self.scheme(LICENCE_TYPES, "Licence type"), {"en": kind[1]}))
        return node

    def service(self, service: Service, provenance) -> tuple[URIRef, list[URIRef]]:
        # a federated service's vendor lives on the upstream's site; its page here is under /andre-kataloger/
        base = provenance.upstream.site if provenance is not None and provenance.upstream.site else self.base
        page = self.page("federated" if provenance is not None else "services", service.id)
        dataset = URIRef(str(page) + "#service")
        if provenance is not None and provenance.upstream.site:
            dataset = URIRef(provenance.page_url("services", service.id) + "#service")
        add = self.add
        add(dataset, RDF.type, DCAT.Dataset)
        add(dataset, DCTERMS.identifier, Literal(service.id))
        self.texts(dataset, DCTERMS.title, dict(service.name), service.id)
        descriptions = {lang: (text or dict(service.tagline).get(lang))
                        for lang, text in {**dict(service.tagline), **dict(service.description)}.items()}
        self.texts(dataset, DCTERMS.description, descriptions, service.id)
        for tag in service.tags:
            add(dataset, DCAT.keyword, Literal(tag))
        if service.sample:
            add(dataset, RDFS.comment, Literal("Eksempeldata: oppdiktet oppføring.", lang="nb"))
            add(dataset, RDFS.comment, Literal("Sample data: a fictional entry.", lang="en"))
        publisher = self.vendor(service.vendor, base)
        add(dataset, DCTERMS.publisher, publisher)
        add(dataset, DCAT.contactPoint, self.contact(service.vendor, base))
        add(dataset, DCAT.landingPage, self.document(str(page)))
        theme = self.theme(service)
        if theme is not None:
            add(dataset, DCAT.theme, theme)
        # the catalog's own taxonomy: solution type as the asset type, category as its broader concept
        scheme = self.scheme(URIRef(self.base + "#categories"), "Thingwalla categories and solution types")
        category = self.concept(URIRef(str(self.page("categories", service.category.id)) + "#category"), scheme,
                                dict(service.category.name))
        solution = self.concept(URIRef(f"{self.page('categories', service.category.id)}#{service.solution_type.id}"),
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
            add(dataset, DCTERMS.issued, Literal(service.listed, datatype=XSD.date))
        if self.history and provenance is None:
            changed = self.history.last_changed(service.id)
            if changed:
                add(dataset, DCTERMS.modified, Literal(changed.date(), datatype=XSD.date))
        status, label = STATUS[service.status]
        add(dataset, ADMS.status, self.concept(URIRef(f"http://purl.org/adms/status/{status}"),
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
            distribution = URIRef(f"{dataset}-{key}")
            add(dataset, DCAT.distribution, distribution)
            add(distribution, RDF.type, DCAT.Distribution)
            add(distribution, DCAT.accessURL, URIRef(url))
            add(distribution, DCTERMS.license, licence)
            self.texts(distribution, DCTERMS.title, titles)
        data_services = []
        for index, api in enumerate(service.apis, start=1):
            api_iri = URIRef(f"{dataset}-api-{index}")
            add(api_iri, RDF.type, DCAT.DataService)
            add(api_iri, DCTERMS.title, Literal(api.name))
            self.texts(api_iri, DCTERMS.description, dict(api.description))
            add(api_iri, DCAT.endpointURL, URIRef(api.url))
            add(api_iri, DCAT.keyword, Literal(api.kind))
            add(api_iri, DCAT.servesDataset, dataset)
            add(api_iri, DCTERMS.publisher, publisher)
            add(api_iri, DCAT.contactPoint, self.contact(service.vendor, base))
            add(api_iri, DCAT.landingPage, self.document(str(page)))
            if theme is not None:
                add(api_iri, DCAT.theme, theme)
            distribution = URIRef(f"{dataset}-api-{index}-access")
            add(dataset, DCAT.distribution, distribution)
            add(distribution, RDF.type, DCAT.Distribution)
            add(distribution, DCAT.accessURL, URIRef(api.url))
            add(distribution, DCAT.accessService, api_iri)
            add(distribution, DCTERMS.license, licence)
            add(distribution, DCTERMS.title, Literal(api.name))
            data_services.append(api_iri)
        if provenance is not None:
            add(dataset, DCTERMS.source, URIRef(provenance.upstream.url) if provenance.upstream.url
                else Literal(provenance.upstream.source))
        return dataset, data_services

    def record(self, catalog: URIRef, service: Service, dataset: URIRef) -> None:
        first, last = self.history.first_seen(service.id), self.history.last_changed(service.id)
        if not last:
            return
        record = URIRef(str(self.page("services", service.id)) + "#record")
        self.add(catalog, DCAT.record, record)
        self.add(record, RDF.type, DCAT.CatalogRecord)
        self.add(record, FOAF.primaryTopic, dataset)
        self.add(record, DCTERMS.modified, Literal(last.date(), datatype=XSD.date))
        if first:
            self.add(record, DCTERMS.issued, Literal(first.date(), datatype=XSD.date))
        standard = DCAT_AP
        self.add(standard, RDF.type, DCTERMS.Standard)
        self.add(record, DCTERMS.conformsTo, standard)
        change = "created" if first and first == last else "updated"
        self.add(record, ADMS.status, self.concept(URIRef(f"http://purl.org/adms/changetype/{change}"),
                                                   self.scheme(CHANGE_TYPES, "Change type"), {"en": change}))
