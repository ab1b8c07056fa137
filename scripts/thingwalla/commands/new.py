"""thingwalla new service|vendor|buyer ID …"""

from __future__ import annotations

import sys

from ..problems import format_problems
from . import EXIT_ERRORS, EXIT_OK, UsageError, repository


def register(commands) -> None:
    parser = commands.add_parser(
        "new", help="scaffold a service, vendor or buyer that validates as written",
        description="Write the starting file of a new entry, with its schema line and comments on what to fill "
                    "in, then validate it. Exit status: 0 written and valid, 1 written with problems (shown), "
                    "2 usage error (nothing written).")
    kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")

    service = kinds.add_parser("service", help="catalog/services/ID/service.yaml")
    service.add_argument("id", metavar="ID")
    service.add_argument("--vendor", required=True, metavar="V", help="the vendor's id (catalog/vendors/V.yaml)")
    service.add_argument("--category", required=True, help="a category id from catalog/taxonomy/categories.yaml")
    service.add_argument("--solution-type", required=True, help="a solution type of that category")
    service.add_argument("--name-nb", help="the service's name in Norwegian bokmål")
    service.add_argument("--name-en", help="the service's name in English")

    vendor = kinds.add_parser("vendor", help="catalog/vendors/ID.yaml")
    vendor.add_argument("id", metavar="ID")
    vendor.add_argument("--legal-name", required=True)
    vendor.add_argument("--country", required=True, choices=["NO", "SE"])
    vendor.add_argument("--org-number", required=True, help="organisasjonsnummer / organisationsnummer")
    vendor.add_argument("--website", required=True, metavar="URL")
    vendor.add_argument("--email", required=True)
    vendor.add_argument("--maintainer", action="append", required=True, metavar="LOGIN",
                        help="a GitHub user who may change the vendor's entries (repeatable)")
    vendor.add_argument("--sample", action="store_true", help="mark the entry as sample data")

    buyer = kinds.add_parser("buyer", help="catalog/buyers/ID.yaml")
    buyer.add_argument("id", metavar="ID")
    buyer.add_argument("--name", required=True)
    buyer.add_argument("--kind", default="municipality", choices=["municipality", "county", "agency"])
    buyer.add_argument("--country", required=True, choices=["NO", "SE"])
    buyer.add_argument("--org-number", required=True)
    buyer.add_argument("--municipality-code", metavar="NNNN")
    buyer.add_argument("--maintainer", action="append", required=True, metavar="LOGIN")
    buyer.add_argument("--sample", action="store_true", help="mark the entry as sample data")

    for sub in (service, vendor, buyer):
        sub.add_argument("--repository", metavar="DIR", help="repository root (default: found from the current folder)")
        sub.set_defaults(run=run)


def run(args) -> int:
    from ..pr import scaffold
    from ..validate import validate_repository

    root = repository(args.repository)
    try:
        if args.kind == "service":
            written = scaffold.service(root, args.id, args.vendor, args.category, args.solution_type,
                                       args.name_nb, args.name_en)
        elif args.kind == "vendor":
            written = scaffold.vendor(root, args.id, args.legal_name, args.country, args.org_number, args.website,
                                      args.email, args.maintainer, args.sample)
        else:
            written = scaffold.buyer(root, args.id, args.name, args.kind, args.country, args.org_number,
                                     args.maintainer, args.municipality_code, args.sample)
    except scaffold.ScaffoldError as exc:
        raise UsageError(str(exc)) from None
    relpaths = [p.relative_to(root).as_posix() for p in written]
    target = relpaths[0].rsplit("/", 1)[0] if args.kind == "service" else relpaths[0]
    problems = [p for p in validate_repository(root).problems if p.path in relpaths]
    for relpath in relpaths:
        print(f"wrote {relpath}")
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        print(format_problems(problems, "text"), file=sys.stderr)
        print(f"fix the {len(errors)} error(s) above, then run `thingwalla validate {target}`", file=sys.stderr)
        return EXIT_ERRORS
    if problems:  # warnings only: the placeholder texts still to replace
        print(format_problems(problems, "text"))
        print(f"next: replace the {len(problems)} placeholder text(s) above, run `thingwalla validate {target}`, "
              "commit and open a pull request (CONTRIBUTING.md walks you through it)")
        return EXIT_OK
    print(f"next: check the values, run `thingwalla validate {target}`, commit and open a "
          "pull request (CONTRIBUTING.md walks you through it)")
    return EXIT_OK
