"""Pull-request qualification: what changed between two commits, whether it is valid, who may change it,
and the report a reviewer reads. `thingwalla check` and `thingwalla codeowners` are built on it."""
