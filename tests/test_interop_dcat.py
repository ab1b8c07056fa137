"""DCAT-AP 3 / ADMS-AP RDF as the build publishes it, checked with pySHACL against the DCAT-AP 3.0.1 shapes."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF, SH

from conftest import SERVICE, SHARED

SHAPES = SHARED / "peer" / "adms-dcat-shacl" / "dcat-ap-3.0.1" / "shacl-modular"
# The modular set: core constraints, classes of values, EU vocabularies. (The bundled shacl/dcat-ap-SHACL.ttl has
# property shapes without sh:path that make pySHACL abort on any dcat:DataService; see the folder's SOURCE.md.)
SHAPE_FILES = ("shapes.ttl", "range.ttl", "mdr-vocabularies.shape.ttl")
needs_shapes = pytest.mark.skipif(not (SHAPES / "shapes.ttl").is_file(),
                                  reason=f"peer SHACL shapes missing: {SHAPES} (adms-dcat-shacl)")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    graph = Graph()
    for name in SHAPE_FILES:
        graph.parse(SHAPES / name, format="turtle")
    return graph


def shacl_results(data: Graph, shapes: Graph) -> tuple[bool, list[tuple[str, str, str, str]]]:
    """(conforms, top-level results as (severity, focus node, path, message)), warnings allowed."""
    import pyshacl

    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    results = []
    for node in report.objects(None, SH.result):
        results.append((str(report.value(node, SH.resultSeverity)).rsplit("#", 1)[1],
                        str(report.value(node, SH.focusNode)), str(report.value(node, SH.resultPath)),
                        str(report.value(node, SH.resultMessage))))
    return conforms, sorted(results)


@pytest.fixture(scope="module")
def published(built_site) -> Graph:
    return Graph().parse(built_site / "dcat/catalog.ttl", format="turtle")


@needs_shapes
def test_the_published_catalog_conforms_to_dcat_ap(published, shapes):
    conforms, results = shacl_results(published, shapes)
    violations = [r for r in results if r[0] == "Violation"]
    assert violations == []
    assert conforms is True
    # What remains are DCAT-AP's advice: vendors are not in the EU corporate-bodies table, and our solution
    # types are the catalog's own concepts. Both are warnings by the shapes' own design.
    assert {(r[0], r[2]) for r in results} <= {("Warning", str(DCTERMS.publisher)), ("Warning", str(DCTERMS.type))}


def test_every_local_service_is_a_dataset_of_the_catalog(published, built_site):
    document = json.loads((built_site / "catalog.json").read_text(encoding="utf-8"))
    catalog = URIRef("https://thingwalla.github.io/thingwalla/#catalog")
    datasets = set(published.objects(catalog, DCAT.dataset))
    assert len(datasets) == len(document["services"]) == document["counts"]["services"]
    school = URIRef("https://thingwalla.github.io/thingwalla/tjenester/school-leave-request/#service")
    assert school in datasets
    assert Literal("Pupil Leave Request", lang="en") in set(published.objects(school, DCTERMS.title))
    assert (school, RDF.type, DCAT.Dataset) in published


def test_every_concept_has_one_preferred_label_per_language(published):
    # SKOS allows one skos:prefLabel per language; the platform's own publisher type and an open-source vendor's
    # share one ADMS concept and once gave it two English labels ("NonProfitOrganisation" and the real one).
    from rdflib.namespace import SKOS

    labels: dict[tuple, list[str]] = {}
    for concept in set(published.subjects(RDF.type, SKOS.Concept)):
        for label in published.objects(concept, SKOS.prefLabel):
            labels.setdefault((concept, label.language), []).append(str(label))
    assert labels, "the catalog has concepts with labels"
    assert {key: values for key, values in labels.items() if len(values) > 1} == {}
    non_profit = URIRef("http://purl.org/adms/publishertype/NonProfitOrganisation")
    assert [str(label) for label in published.objects(non_profit, SKOS.prefLabel)] == ["Non-Profit Organisation"]


def test_json_ld_says_the_same_as_turtle(published, built_site):
    jsonld = Graph().parse(built_site / "dcat/catalog.jsonld", format="json-ld")
    assert len(jsonld) == len(published) > 1000
    assert isomorphic(jsonld, published)


@needs_shapes
def test_a_broken_graph_fails_with_the_shapes_message(published, shapes):
    broken = Graph()
    for triple in published:
        broken.add(triple)
    school = URIRef("https://thingwalla.github.io/thingwalla/tjenester/school-leave-request/#service")
    broken.remove((school, DCTERMS.description, None))
    catalog = URIRef("https://thingwalla.github.io/thingwalla/#catalog")
    broken.remove((catalog, DCTERMS.title, None))
    conforms, results = shacl_results(broken, shapes)
    violations = [(r[1], r[2], r[3]) for r in results if r[0] == "Violation"]
    assert conforms is False
    assert violations == [
        (str(catalog), str(DCTERMS.title), f"Less than 1 values on <{catalog}>->dct:title"),
        (str(school), str(DCTERMS.description), f"Less than 1 values on <{school}>->dct:description"),
    ]


def test_untrusted_text_stays_a_literal(repo, tmp_path):
    """A vendor tagline with markup and quotes cannot add triples or break the Turtle file."""
    import datetime as dt

    from thingwalla.interop.dcat import catalog_graph, serialize
    from thingwalla.model import build_catalog
    from thingwalla.validate import validate_repository

    hostile = '"""> ; <http://evil.example/x> a <http://evil.example/Y> . <script>'
    repo.service(SERVICE.replace("en: Description in English.", f"en: '{hostile}'"))
    catalog = build_catalog(validate_repository(repo.root, on_date=dt.date(2026, 12, 3)))
    ttl = serialize(catalog_graph(catalog, "https://example.org/"), "turtle")
    graph = Graph().parse(data=ttl, format="turtle")
    dataset = URIRef("https://example.org/tjenester/demo/#service")
    assert Literal(hostile, lang="en") in set(graph.objects(dataset, DCTERMS.description))
    assert not any("evil.example" in str(term) for triple in graph for term in triple if isinstance(term, URIRef))
