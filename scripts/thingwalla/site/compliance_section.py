"""The compliance section of a service page (site/service_page.py): one state per regulation, its evidence and the
rule results.

Written out in Python rather than as a Jinja template: at 10,000 services the section is on 20,000 pages and,
as a template, took a third of the time spent rendering them (filters, nested loops and a call per text).
Every badge and result comes from the compliance engine (`assessment`); vendor text is escaped here.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from . import i18n

_DATED_STATES = {"expiring": "compliance.expires_on", "expired": "compliance.expired_on"}


def compliance_section(service, assessment, rulebook, lang: str, *, localized, url_for, rule_results) -> Markup:
    """The section's HTML. `localized`, `url_for` and `rule_results` are the page's own helpers."""

    def t(key: str, **values) -> str:
        return i18n.translate(key, lang, **values)

    def date(value) -> str:
        return i18n.date(value, lang)

    def results_list(results, summary: str) -> str:
        if not results:
            return ""
        return (f'<details class="tw-rules">\n  <summary>{escape(summary)}</summary>\n  <ul class="tw-rule-results">\n'
                f'  {rule_results(results)}\n  </ul>\n</details>\n')

    def evidence_link(claim) -> str:
        if not claim.evidence_url:
            return ""
        return (f'<br><a href="{escape(claim.evidence_url)}" rel="noopener noreferrer nofollow">'
                f'{escape(t("service.document"))}<span class="tw-visually-hidden">: '
                f'{localized(claim.regulation.name)}</span></a>')

    out = [f'<h2 id="compliance">{escape(t("service.compliance"))}</h2>\n'
           f'<p>{escape(t("compliance.intro"))} <a href="{escape(url_for("rules"))}">'
           f'{escape(t("compliance.all_rules"))}</a></p>\n']
    claims = service.compliance
    if claims:
        out.append('<ul class="tw-compliance">\n')
        for claim in claims:
            if claim.regulation.relevant_to_public_buyers:
                out.append(_public_claim(claim, service, assessment, rulebook, lang, t, date, localized,
                                         evidence_link, results_list))
        for claim in claims:
            if not claim.regulation.relevant_to_public_buyers:
                state = assessment.states[claim.regulation.id].state
                out.append(f'  <li class="tw-claim tw-claim--other">\n'
                           f'    <p class="tw-claim__head"><strong>{localized(claim.regulation.name)}</strong> '
                           f'<span class="tw-badge tw-badge--{escape(state)}">{escape(t("state." + state))}</span></p>\n'
                           f'    <p class="tw-claim__details">{escape(t("service.not_for_municipalities"))}\n'
                           f'      {evidence_link(claim)}</p>\n  </li>\n')
        out.append("</ul>\n")
    else:
        out.append(f'<p>{escape(t("service.no_compliance"))}</p>\n')
    claimed = {claim.regulation.id for claim in claims}
    unclaimed = [result for result in assessment.results if result.regulation not in claimed]
    if unclaimed:
        out.append(f'<h3 id="compliance-other">{escape(t("compliance.other_results"))}</h3>\n')
        out.append(results_list(unclaimed, _results_summary(unclaimed, t)))
    return Markup("".join(out))


def _public_claim(claim, service, assessment, rulebook, lang, t, date, localized, evidence_link, results_list) -> str:
    regulation = claim.regulation.id
    st = assessment.states[regulation]
    results = assessment.for_regulation(regulation)
    parts = []
    if st.state == "verified":
        parts.append(t("compliance.automated_passed" if st.automated_check else "compliance.rules_passed",
                       date=date(st.on)))
    elif st.state in _DATED_STATES:
        parts.append(t(_DATED_STATES[st.state], date=date(st.on)))
    if claim.issuer:
        parts.append(f"{t('service.issuer')}: {claim.issuer}"
                     + (f" ({claim.certificate_id})" if claim.certificate_id else ""))
    if claim.issued:
        parts.append(t("service.from", date=date(claim.issued)))
    if claim.expires and st.state not in _DATED_STATES:
        parts.append(t("service.until", date=date(claim.expires)))
    html = [f'  <li class="tw-claim tw-claim--{escape(st.state)}">\n'
            f'    <p class="tw-claim__head"><strong>{localized(claim.regulation.name)}</strong> '
            f'<span class="tw-badge tw-badge--{escape(st.state)}">{escape(t("state." + st.state))}</span></p>\n'
            f'    <p class="tw-claim__details">\n      {escape(" · ".join(parts))}\n'
            f'{evidence_link(claim)}    </p>\n']
    if regulation == "wcag-2-1-aa" and rulebook:
        for country in service.countries:
            if country in rulebook.profiles:
                profile = rulebook.profiles[country]
                route = t("compliance.statement_route", country=profile.name(lang), text=profile.statement_text(lang))
                html.append(f'    <p class="tw-claim__route">{escape(route)}</p>\n')
    html.append(f"    {results_list(results, _results_summary(results, t))}\n  </li>\n")
    return "".join(html)


def _results_summary(results, t) -> str:
    return t("compliance.results", passed=sum(1 for result in results if result.passed), total=len(results))
