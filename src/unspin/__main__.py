"""`python -m unspin` is the `unspin` command."""

from unspin.cli import main

raise SystemExit(main())
