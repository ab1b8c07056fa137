"""thingwalla import publiccode FILE|DIR [--vendor V] [--out catalog/services] [--id ID] [--category C/S] [--check]"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from . import EXIT_ERRORS, EXIT_OK, UsageError, repository

MAX_FILES = 500


def register(commands) -> None:
    parser = commands.add_parser(
        "import", help="bring existing descriptions into the catalog (publiccode.yml)",
        description="Import descriptions written for other catalogs.")
    formats = parser.add_subparsers(dest="import_format", required=True, metavar="FORMAT")
    pc = formats.add_parser(
        "publiccode", help="import publiccode.yml files (standard versions 0.2 to 0.7)",
        description="Check publiccode.yml files as the standard says (every problem with file, line and column) "
                    "and turn each valid one into a service folder: service.yaml, description.<lang>.md, logo and "
                    "screenshots. FILE is a publiccode.yml; DIR is a repository checkout with publiccode.yml at its "
                    "root, or a folder searched for publiccode.yml files. Nothing is fetched from the network. "
                    "Exit status: 0 imported (or, with --check, valid), 1 problems, 2 usage error.")
    pc.add_argument("source", metavar="FILE|DIR", help="a publiccode.yml file, or a folder holding them")
    pc.add_argument("--vendor", metavar="V", help="vendor id (catalog/vendors/V.yaml); found from the file's "
                    "organisation or maintainer names when it matches exactly one vendor")
    pc.add_argument("--out", metavar="DIR", help="where the service folders go (default: catalog/services)")
    pc.add_argument("--id", dest="service_id", metavar="ID", help="service id (default: made from the name); "
                    "only with one file")
    pc.add_argument("--category", metavar="CATEGORY/SOLUTION_TYPE",
                    help="category and solution type from catalog/taxonomy/categories.yaml, e.g. workplace/hr-payroll")
    pc.add_argument("--check", action="store_true", help="only check the files; write nothing")
    pc.add_argument("--dry-run", action="store_true", help="print what would be written; write nothing")
    pc.add_argument("--format", choices=["text", "json", "github"], default="text",
                    help="text for people, json for tools, github for workflow annotations")
    pc.add_argument("--repository", metavar="DIR", help="repository root (default: found from the current folder)")
    pc.set_defaults(run=run)


def find_sources(source: Path) -> list[Path]:
    if source.is_file():
        return [source]
    if not source.is_dir():
        raise UsageError(f"{source}: no such file or folder")
    for name in ("publiccode.yml", "publiccode.yaml"):
        if (source / name).is_file():
            return [source / name]
    found = []
    for path in sorted(source.rglob("publiccode.y*ml")):
        if path.name in ("publiccode.yml", "publiccode.yaml") and path.is_file() \
                and not any(part.startswith(".") for part in path.relative_to(source).parts[:-1]):
            found.append(path)
            if len(found) > MAX_FILES:
                raise UsageError(f"{source} holds more than {MAX_FILES} publiccode.yml files; import fewer at a time")
    if not found:
        raise UsageError(f"{source} has no publiccode.yml (searched the folder and its sub-folders)")
    return found


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def run(args) -> int:
    from ..interop.importer import CannotImport, Taxonomy, plan_import, write_plan
    from ..interop.publiccode import parse_file
    from ..validate import today

    sources = find_sources(Path(args.source))
    if args.service_id and len(sources) > 1:
        raise UsageError("--id names one service; it cannot be used with a folder of several publiccode.yml files")
    category = None
    if args.category:
        if args.category.count("/") != 1:
            raise UsageError("--category takes CATEGORY/SOLUTION_TYPE, e.g. workplace/hr-payroll")
        category = tuple(args.category.split("/"))

    results = [parse_file(path, _display(path)) for path in sources]
    problems = [p for r in results for p in r.problems]
    report: dict = {"files": [], "imported": []}
    for r in results:
        report["files"].append({"file": r.relpath, "version": r.version, "valid": r.ok,
                                "errors": len(r.errors), "warnings": len(r.warnings)})
    failed = sum(not r.ok for r in results)

    if args.check:
        _emit(args, problems, report)
        if args.format == "text":
            print(_summary(results), file=sys.stderr)
        return EXIT_ERRORS if failed else EXIT_OK

    root = repository(args.repository)
    taxonomy = Taxonomy.read(root)
    if args.vendor and args.vendor not in taxonomy.vendors:
        import difflib

        close = difflib.get_close_matches(args.vendor, list(taxonomy.vendors), n=1)
        raise UsageError(f"unknown vendor '{args.vendor}'" + (f" (did you mean '{close[0]}'?)" if close else "")
                         + "; add catalog/vendors/<id>.yaml first, or use an existing vendor id")
    if category and category[1] not in taxonomy.categories.get(category[0], set()):
        raise UsageError(f"--category {args.category}: not a category/solution type in catalog/taxonomy/categories.yaml")
    out = Path(args.out) if args.out else root / "catalog" / "services"

    plans, written = [], []
    for r in results:
        if not r.ok:
            continue
        vendor = args.vendor or _guess_vendor(r.data, taxonomy)
        if vendor is None:
            raise UsageError(f"{r.relpath}: say which vendor offers the service with --vendor V "
                             f"(known vendors: {', '.join(sorted(taxonomy.vendors)) or 'none'})")
        try:
            plan = plan_import(r, taxonomy, vendor, service_id=args.service_id, category=category, today=today())
            if not args.dry_run and (out / plan.service_id).exists():
                raise CannotImport(f"{_display(out / plan.service_id)} already exists; choose another id with --id, "
                                   "or remove the folder")
        except CannotImport as exc:
            from ..interop.publiccode import Finding

            problems.append(Finding(r.relpath, 1, 1, f"cannot import: {exc}", "", "import.mapping", key=""))
            failed += 1
            continue
        problems.extend(plan.notes)
        plans.append(plan)

    for plan in plans:
        if args.dry_run:
            if args.format == "text":
                print(f"--- {_display(out / plan.service_id / 'service.yaml')}")
                print(plan.yaml_text())
            continue
        out.mkdir(parents=True, exist_ok=True)
        folder = write_plan(plan, out)
        written.append(folder)
        report["imported"].append({"service": plan.service_id, "folder": _display(folder), "source":
                                   _display(plan.source), "sha256": plan.sha256,
                                   "used_by_suggestions": [{"name": n, "buyer": b} for n, b in plan.used_by]})

    # the round trip: what was written must pass the catalog's own validator
    invalid = 0
    if written:
        from ..validate import validate_repository

        result = validate_repository(root)
        mine = []
        for folder in written:
            try:
                rel = folder.resolve().relative_to(root).as_posix()
            except ValueError:
                continue
            mine += [p for p in result.problems if p.path == rel or p.path.startswith(rel + "/")]
        invalid = sum(p.severity == "error" for p in mine)
        problems.extend(mine)
    _emit(args, problems, report)
    if args.format == "text":
        for plan in plans:
            state = "would import" if args.dry_run else "imported"
            print(f"{state} {_display(plan.source)} -> {_display(out / plan.service_id)}", file=sys.stderr)
            for user, buyer in plan.used_by:
                print(f"    usedBy '{user}': a suggestion only; "
                      + (f"catalog/buyers/{buyer}.yaml confirms it by listing '{plan.service_id}' under uses:" if buyer
                         else "no buyer file matches"), file=sys.stderr)
        notes = sum(len(plan.notes) for plan in plans)
        print(_summary(results) + (f"; {notes} review note(s) on the mapping" if notes else "")
              + (f"; {invalid} error(s) in the written service folders" if written else ""), file=sys.stderr)
    return EXIT_ERRORS if failed or invalid else EXIT_OK


def _guess_vendor(data: dict, taxonomy) -> str | None:
    """The one vendor whose name equals the organisation, copyright owner or contractor named in the file."""
    names = {str((data.get("organisation") or {}).get("name") or "").casefold(),
             str((data.get("legal") or {}).get("mainCopyrightOwner") or "").casefold()}
    names |= {str(c.get("name") or "").casefold() for c in (data.get("maintenance") or {}).get("contractors") or []
              if isinstance(c, dict)}
    names.discard("")
    matches = {vid for vid, v in taxonomy.vendors.items()
               if {str(v.get("legal_name", "")).casefold(), str(v.get("display_name", "")).casefold()} & names}
    return matches.pop() if len(matches) == 1 else None


def _emit(args, problems, report) -> None:
    from ..problems import format_problems

    if args.format == "json":
        document = json.loads(format_problems(problems, "json"))
        document.update(report)
        print(json.dumps(document, ensure_ascii=False, indent=2))
        return
    output = format_problems(problems, args.format)
    if output:
        print(output)


def _summary(results) -> str:
    valid = sum(r.ok for r in results)
    warnings = sum(len(r.warnings) for r in results)
    return (f"{len(results)} publiccode.yml file(s) checked: {valid} valid, {len(results) - valid} with errors"
            + (f", {warnings} warning(s)" if warnings else ""))
