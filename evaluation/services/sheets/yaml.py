"""The YAML format of a score sheet (evaluation/SHEET_FORMAT.md): reading it into the tree, writing it."""
from __future__ import annotations

import yaml
from django.utils.translation import gettext as _

from .tree import CriterionData, OptionData, PartData, SectionData, SheetData, SheetError
from .values import as_boolean, as_decimal, as_integer, as_text, native

PATH_SEPARATOR = " › "
YAML_TYPE = "application/yaml; charset=utf-8"

TOP_KEYS = {"regulation", "product_set", "title", "demonstration", "parts"}
PART_KEYS = {"code", "title", "max", "sections"}
SECTION_KEYS = {"code", "title", "criteria"}
CRITERION_KEYS = {"code", "title", "max", "required_for_star", "assessed_by_commune", "options"}
OPTION_KEYS = {"label", "points", "knocks_out"}

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 100× faster


def _load_yaml(text: str):
    """Safe loading without aliases: a sheet never needs them and they can blow a document up."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed", event.start_mark)
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader


class _SheetDumper(yaml.SafeDumper):
    """Lists indented under their key, which reads better for a deep tree."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _option_path(criterion_path: str, number: int) -> str:
    return criterion_path + PATH_SEPARATOR + _("option %(number)s") % {"number": number}


def _node_path(prefix: str, code: str, fallback: str, seen: set[str]) -> str:
    """"A › 1 › 1.1"; a node without a code is named by its position ("A › mục 2"), and a repeated code gets
    its position too ("A › 1 › 1.1 (tiêu chí 3)") so that both places can be told apart."""
    path = prefix + (code or fallback)
    if code and path in seen:
        path = f"{path} ({fallback})"
    seen.add(path)
    return path


def _unknown_keys(mapping: dict, allowed: set[str], location: str, errors: list[SheetError]) -> None:
    for key in mapping:
        if str(key) not in allowed:
            errors.append(SheetError(location, _("unknown key “%(key)s” (allowed: %(allowed)s)") % {
                "key": key, "allowed": ", ".join(sorted(allowed))}))


def _mapping_list(value, location: str, key: str, errors: list[SheetError]) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        errors.append(SheetError(location, _("“%(key)s” must be a list") % {"key": key}))
        return []
    return value


def sheet_parse_yaml(text: str) -> tuple[SheetData, list[SheetError]]:
    """Read a sheet from YAML text. Returns the tree and the errors of form (syntax, structure, unknown
    keys); content errors are left to `sheet_validate`."""
    data = SheetData(locations={key: key for key in TOP_KEYS})
    try:
        document = _load_yaml(text.lstrip("\ufeff"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        location = _("Line %(line)s") % {"line": mark.line + 1} if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        return data, [SheetError(location, _("the file is not valid YAML (%(problem)s)") % {"problem": problem},
                                 fatal=True)]
    if not isinstance(document, dict):
        return data, [SheetError("", _("the file must be a mapping with the keys regulation, product_set, "
                                       "title, demonstration and parts"), fatal=True)]
    errors: list[SheetError] = []
    _unknown_keys(document, TOP_KEYS, "", errors)
    data.regulation = as_text(document.get("regulation"))
    data.product_set = as_integer(document.get("product_set"))
    data.title = as_text(document.get("title"))
    data.demonstration = as_boolean(document.get("demonstration"))

    seen: set[str] = set()
    for p_number, raw_part in enumerate(_mapping_list(document.get("parts"), "parts", "parts", errors), 1):
        fallback = _("part %(number)s") % {"number": p_number}
        if not isinstance(raw_part, dict):
            errors.append(SheetError(fallback, _("must be a mapping")))
            continue
        code = as_text(raw_part.get("code"))
        part_path = _node_path("", code, fallback, seen)
        _unknown_keys(raw_part, PART_KEYS, part_path, errors)
        part = PartData(code=code, title=as_text(raw_part.get("title")), max_points=as_decimal(raw_part.get("max")),
                        location=part_path)
        data.parts.append(part)
        raw_sections = _mapping_list(raw_part.get("sections"), part_path, "sections", errors)
        for s_number, raw_section in enumerate(raw_sections, 1):
            fallback = _("section %(number)s") % {"number": s_number}
            if not isinstance(raw_section, dict):
                errors.append(SheetError(part_path + PATH_SEPARATOR + fallback, _("must be a mapping")))
                continue
            code = as_text(raw_section.get("code"))
            section_path = _node_path(part_path + PATH_SEPARATOR, code, fallback, seen)
            _unknown_keys(raw_section, SECTION_KEYS, section_path, errors)
            section = SectionData(code=code, title=as_text(raw_section.get("title")), location=section_path)
            part.sections.append(section)
            raw_criteria = _mapping_list(raw_section.get("criteria"), section_path, "criteria", errors)
            for c_number, raw_criterion in enumerate(raw_criteria, 1):
                fallback = _("criterion %(number)s") % {"number": c_number}
                if not isinstance(raw_criterion, dict):
                    errors.append(SheetError(section_path + PATH_SEPARATOR + fallback, _("must be a mapping")))
                    continue
                code = as_text(raw_criterion.get("code"))
                criterion_path = _node_path(section_path + PATH_SEPARATOR, code, fallback, seen)
                _unknown_keys(raw_criterion, CRITERION_KEYS, criterion_path, errors)
                criterion = CriterionData(
                    code=code, title=as_text(raw_criterion.get("title")),
                    max_points=as_decimal(raw_criterion.get("max")),
                    required_for_star=as_integer(raw_criterion.get("required_for_star")),
                    assessed_by_commune=as_boolean(raw_criterion.get("assessed_by_commune")), location=criterion_path)
                section.criteria.append(criterion)
                raw_options = _mapping_list(raw_criterion.get("options"), criterion_path, "options", errors)
                for o_number, raw_option in enumerate(raw_options, 1):
                    option_path = _option_path(criterion_path, o_number)
                    if not isinstance(raw_option, dict):
                        errors.append(SheetError(option_path, _("must be a mapping")))
                        continue
                    _unknown_keys(raw_option, OPTION_KEYS, option_path, errors)
                    criterion.options.append(OptionData(
                        label=as_text(raw_option.get("label")), points=as_decimal(raw_option.get("points")),
                        knocks_out=as_boolean(raw_option.get("knocks_out")), location=option_path))
    return data, errors


def sheet_data_yaml(data: SheetData) -> str:
    """The YAML text of a sheet tree (the format `sheet_parse_yaml` reads)."""
    parts = []
    for part in data.parts:
        sections = []
        for section in part.sections:
            criteria = []
            for criterion in section.criteria:
                item = {"code": criterion.code, "title": criterion.title, "max": native(criterion.max_points)}
                if criterion.required_for_star:
                    item["required_for_star"] = criterion.required_for_star
                if criterion.assessed_by_commune is True:
                    item["assessed_by_commune"] = True
                options = []
                for option in criterion.options:
                    entry = {"label": option.label, "points": native(option.points)}
                    if option.knocks_out:
                        entry["knocks_out"] = True
                    options.append(entry)
                item["options"] = options
                criteria.append(item)
            sections.append({"code": section.code, "title": section.title, "criteria": criteria})
        parts.append({"code": part.code, "title": part.title, "max": native(part.max_points), "sections": sections})
    document = {"regulation": data.regulation, "product_set": data.product_set, "title": data.title,
                "demonstration": bool(data.demonstration), "parts": parts}
    return yaml.dump(document, Dumper=_SheetDumper, allow_unicode=True, sort_keys=False, width=110,
                     default_flow_style=False)
