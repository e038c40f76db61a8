"""The `ntm-check` application object, its command groups, and the one place commands
register (each command module adds its commands to :data:`app`)."""

from __future__ import annotations

import typer

from .common import DefaultGroup

app = typer.Typer(
    cls=DefaultGroup,
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Chấm điểm xã theo Bộ tiêu chí quốc gia về nông thôn mới / Check Vietnamese communes "
    "against the national new-rural (NTM) criteria. `ntm-check COMMUNE.yaml` is short for "
    "`ntm-check check COMMUNE.yaml`.",
)


overlay_app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Provincial overlays: `overlay init SET --province P` writes a skeleton to fill.",
)
app.add_typer(overlay_app, name="overlay")
