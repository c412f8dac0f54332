"""Where apps plug into the shared interface: navigation entries and home-page panels.

Later apps register here in their AppConfig.ready(), so that `ocop` never imports them.
"""
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    permission: str
    order: int = 100
    more: bool = False  # reference pages (units, score sheets) go under the "More" menu to keep the bar short

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class HomePanel:
    """A block of the home page: `build(user)` returns its template context, or None to hide it."""

    template: str
    build: Callable
    order: int = 100


_nav: dict[str, NavItem] = {}
_panels: dict[str, HomePanel] = {}


def register_nav(item: NavItem) -> None:
    _nav[item.url_name] = item


def register_home_panel(key: str, panel: HomePanel) -> None:
    _panels[key] = panel


def nav_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [item for item in sorted(_nav.values(), key=lambda i: i.order) if user.has_perm(item.permission)]


def panels_for(user) -> list[tuple[str, dict]]:
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: p.order):
        context = panel.build(user)
        if context is not None:
            shown.append((panel.template, context))
    return shown


# ---------------------------------------------------------------------------------------------
# Demo data: each app adds its records to `seed_demo`, in the order of the programme.
# ---------------------------------------------------------------------------------------------
_demo_loaders: dict[str, tuple[int, Callable, bool]] = {}


def register_demo_loader(key: str, loader: Callable, order: int, *, heavy: bool = False) -> None:
    """`loader(log)` creates its demo records idempotently; `log(text)` reports progress.

    A heavy loader (score sheets, scored sessions, certificates) always runs in `seed_demo`; tests load it
    only when they ask for the `demo_full` fixture, so that every other test stays quick."""
    _demo_loaders[key] = (order, loader, heavy)


def demo_loaders(*, heavy: bool = True) -> list[Callable]:
    chosen = [(order, loader) for order, loader, is_heavy in _demo_loaders.values() if heavy or not is_heavy]
    return [loader for _order, loader in sorted(chosen, key=lambda pair: pair[0])]


# ---------------------------------------------------------------------------------------------
# Progress of a cycle's steps: each app says how far its step has come (the cycle page shows it).
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StepProgress:
    text: str            # one line, e.g. "11 ideas; 4 sent in 2 lists from 2 of 8 districts"
    url: str = ""        # the list behind the figure
    percent: int | None = None


_step_progress: dict[int, Callable] = {}


def register_step_progress(step: int, provider: Callable) -> None:
    """`provider(cycle, user)` returns a StepProgress for that step of the cycle, or None."""
    _step_progress[step] = provider


def step_progress(cycle, user) -> dict[int, StepProgress]:
    shown = {}
    for step, provider in _step_progress.items():
        progress = provider(cycle, user)
        if progress is not None:
            shown[step] = progress
    return shown


# ---------------------------------------------------------------------------------------------
# Panels on a record's page from a later app (the certificates of a recognition decision, say).
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RecordPanel:
    template: str
    build: Callable  # build(user, obj) -> context dict, or None to show nothing
    order: int = 100


_record_panels: dict[str, dict[str, RecordPanel]] = {}


def register_record_panel(record: str, key: str, panel: RecordPanel) -> None:
    """`record` names the page, e.g. "evaluation.decision"."""
    _record_panels.setdefault(record, {})[key] = panel


def record_panels(record: str, user, obj) -> list[tuple[str, dict]]:
    shown = []
    for panel in sorted(_record_panels.get(record, {}).values(), key=lambda p: p.order):
        context = panel.build(user, obj)
        if context is not None:
            shown.append((panel.template, context))
    return shown


# ---------------------------------------------------------------------------------------------
# A product's standing in the register: the certificates app answers, the evaluation app asks (an
# evaluation's kind depends on the certificate in force, and evaluation must not import certificates).
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProductStanding:
    """The certificate of a product in force on a date."""

    certificate_number: str
    star: int
    valid_until: datetime.date
    renewable: bool  # its re-evaluation for renewal may start on that date (within the notice window)


_product_standing: dict[str, Callable] = {}


def register_product_standing(provider: Callable) -> None:
    """`provider(product, on)` returns the ProductStanding of the product's certificate in force on the date
    `on`, or None when none is. One provider: a later registration replaces the earlier."""
    _product_standing["provider"] = provider


def product_standing(product, on: datetime.date) -> ProductStanding | None:
    """The product's certificate in force on `on`; None when it has none, or when no app keeps certificates."""
    provider = _product_standing.get("provider")
    return provider(product, on) if provider is not None else None


def register_star_held(provider: Callable) -> None:
    """`provider(product_path, on)` returns ({alias: FilteredRelation}, star_path): a join, for a query whose rows
    reach a product by `product_path` (e.g. "product"), to the product's certificate in force on `on` (at most one:
    the register supersedes a certificate when the next is issued), and the path of its star (NULL when none is in
    force). A join rather than a subquery: a query may name the star many times at no cost. One provider: a later
    registration replaces the earlier."""
    _product_standing["star_held"] = provider


def star_held(product_path: str, on: datetime.date) -> tuple[dict, str] | None:
    """The join and the star's path of `register_star_held`; None when no app keeps certificates."""
    provider = _product_standing.get("star_held")
    return provider(product_path, on) if provider is not None else None


# ---------------------------------------------------------------------------------------------
# A cycle's evaluation rounds: the rounds are ocop's, what they hold (sessions, dossiers, results) is a later
# app's. That app tells the cycle page what each round holds, and places its records in the round whose days hold
# their date whenever a round is created, re-dated or deleted.
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RoundLink:
    text: str
    url: str = ""


@dataclass(frozen=True)
class RoundSummary:
    """What a round holds, as the cycle page shows it to a user (within his area)."""

    dossiers: int = 0                          # dossiers evaluated in its sessions, or submitted in it and waiting
    sessions: tuple[RoundLink, ...] = ()       # the sittings of the round, in date order
    stars: tuple[tuple[int, int], ...] = ()    # (star, products recognised at it), the highest star first


@dataclass(frozen=True)
class RoundPlacement:
    """What placing a cycle's records (its sessions) in the rounds holding their date changed: how many each round
    took and let go, by round pk."""

    taken: dict[int, int] = field(default_factory=dict)
    released: dict[int, int] = field(default_factory=dict)


_rounds: dict[str, Callable] = {}


def register_rounds(*, summaries: Callable, placement: Callable) -> None:
    """`summaries(cycle, user)` returns {round pk: RoundSummary} for the cycle's rounds in a fixed number of
    queries; `placement(cycle, without, by)` puts each record of the cycle in the round whose days hold its date,
    or in none (`without`: a round about to be deleted, which takes nothing), and returns the RoundPlacement. One
    provider: a later registration replaces the earlier."""
    _rounds["summaries"] = summaries
    _rounds["placement"] = placement


def round_summaries(cycle, user) -> dict[int, RoundSummary]:
    provider = _rounds.get("summaries")
    return provider(cycle, user) if provider is not None else {}


def rounds_place(cycle, *, without=None, by=None) -> RoundPlacement:
    """Within the caller's transaction, after a round of the cycle was created or re-dated, or before one is
    deleted (`without`)."""
    provider = _rounds.get("placement")
    return provider(cycle, without=without, by=by) if provider is not None else RoundPlacement()
