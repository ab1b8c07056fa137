"""Automated accessibility checks with pa11y-ci (issue 7, parts 3-4).

Stages, one module each:
  guard.py     refuse URLs that are not http(s) or that resolve to non-public addresses (SSRF)
  sitemap.py   the pages of a built site, from its sitemap.xml (missing or empty is an error)
  server.py    serve a built site on 127.0.0.1 for the browser
  fetch.py     fetch every URL once: HTTP errors fail (pa11y would pass a 404 page)
  pa11y.py     pa11y-ci config and subprocess; node/reporter.js records results per requested URL
  node/thingwalla-runner.js   our own checks for criteria axe misses (a pa11y runner)
  results.py   raw records -> page results, each finding with its WCAG success criteria
  report.py    JSON (format "thingwalla-a11y/1", documented there) and Markdown reports
  check.py     one run: guard, fetch, pa11y, results
  act.py       the W3C ACT Rules benchmark (scripts/act_bench.py); figures in ACT-RESULTS.md and
               act-baseline.json, held by tests/test_a11y_act.py

Results say "automated checks passed", never "WCAG 2.1 AA conformant": about half of WCAG 2.1 A/AA
cannot be tested by these tools.
"""
