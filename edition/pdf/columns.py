"""Multi-column pages laid out once: a shortcut in WeasyPrint 70's column layout.

The apparatus and the indexes are set in two balanced columns (`columns: 2`).
For every page of them WeasyPrint's `columns_layout` (layout/column.py) first
lays the columns out at the page's full height to learn whether the rest of the
content fits on the page; when it does not (every page but a section's last),
it throws that layout away and lays the same columns out again, at the same
height, as the page's: each full page of columns is laid out twice, and the
look-ahead measures the next box of each column a third time. That was about a
quarter of the book's layout (38 calls, 190 column layouts for 31 pages).

The shortcut lays out a page's columns once, as the second pass of
WeasyPrint's would (the same height, the same arguments, column after column
in place): when content is left for the next page, that is the page, exactly
what WeasyPrint keeps. When everything fits (a section's last page, where the
columns are balanced), the layout is undone (placeholders removed, as
WeasyPrint does between its own trials) and WeasyPrint's function does the
balancing. Only plain cases are taken: no `column-span`, no fixed height, not
positioned, and no footnote inside the columns (a note changes the height
available, which WeasyPrint's trials account for); anything else goes to
WeasyPrint's function untouched. `installed()` patches WeasyPrint during the
book's layout only.
"""
from __future__ import annotations

import contextlib
from math import floor


def _shortcut(original):
    def columns_layout(context, box, bottom_space, skip_stack, containing_block, page_is_empty,
                       absolute_boxes, fixed_boxes, adjoining_margins, first_letter_style,
                       first_line_style):
        arguments = (context, box, bottom_space, skip_stack, containing_block, page_is_empty,
                     absolute_boxes, fixed_boxes, adjoining_margins, first_letter_style, first_line_style)
        if not _plain(box):
            return original(*arguments)
        result = _full_page(*arguments)
        return original(*arguments) if result is None else result
    return columns_layout


def _plain(box) -> bool:
    style = box.style
    if style["height"] != "auto" or style["position"] == "relative" or not box.children:
        return False
    if any(child.style["column_span"] == "all" for child in box.children):
        return False
    return not any(descendant.style["float"] != "none" or descendant.footnote is not None
                   or descendant.style["position"] in ("absolute", "fixed")
                   for descendant in box.descendants())


def _full_page(context, box, bottom_space, skip_stack, containing_block, page_is_empty,
               absolute_boxes, fixed_boxes, adjoining_margins, first_letter_style, first_line_style):
    """WeasyPrint's result for a page its columns overflow, laid out once; None (and nothing
    changed in the context) when the content fits on the page and needs balancing."""
    from weasyprint.layout.block import (block_box_layout, block_level_width, collapse_margin,
                                         remove_placeholders)
    from weasyprint.layout.column import _create_column_box, _report_footnotes
    from weasyprint.layout.percent import percentage

    # What WeasyPrint's columns_layout does before its trials (same order, same values).
    style = box.style
    width, count = style["column_width"], style["column_count"]
    context.in_column = True
    box = box.copy_with_children(box.children)
    box.position_y += collapse_margin(adjoining_margins)
    block_level_width(box, containing_block)
    gap = style["font_size"] if style["column_gap"] == "normal" else percentage(
        style["column_gap"], box.style, box.width)
    if width == "auto" and count != "auto":
        width = max(0, box.width - (count - 1) * gap) / count
    elif width != "auto" and count == "auto":
        count = max(1, floor((box.width + gap) / (width + gap)))
        width = (box.width + gap) / count - gap
    else:
        count = max(1, min(count, floor((box.width + gap) / (width + gap))))
        width = (box.width + gap) / count - gap
    skip, = skip_stack.keys() if skip_stack else (0,)
    column_children = [child.copy() for child in box.children[skip:]]
    index = skip
    if skip_stack:
        skip_stack = {0: skip_stack[skip]}
    footnote_height = (0 if context.current_footnote_area.height == "auto"
                       else context.current_footnote_area.margin_height())
    current_position_y = box.content_box_y()
    max_height = context.page_bottom - current_position_y - bottom_space

    # WeasyPrint's last pass, at the full height.
    columns, max_column_height, next_page, break_page = [], 0, None, False
    column_skip_stack = skip_stack
    for i in range(count):
        column_box = _create_column_box(box, containing_block, column_children, width, current_position_y)
        if style["direction"] == "rtl":
            column_box.position_x += box.width - (i + 1) * width - i * gap
        else:
            column_box.position_x += i * (width + gap)
        new_child, column_skip_stack, column_next_page, _, _, _ = block_box_layout(
            context, column_box, bottom_space, column_skip_stack, containing_block, page_is_empty,
            absolute_boxes, fixed_boxes, None, first_letter_style, first_line_style, discard=False,
            max_lines=None)
        if new_child is None:
            columns, break_page = [], True
            break
        next_page = column_next_page
        columns.append(new_child)
        max_column_height = max(max_column_height, new_child.margin_height())
        if column_skip_stack is None:
            break
    if not break_page and column_skip_stack is None or (
            context.current_footnote_area.height != "auto"
            and context.current_footnote_area.margin_height() != footnote_height):
        remove_placeholders(context, columns, absolute_boxes, fixed_boxes)  # as between WeasyPrint's trials
        context.in_column = False
        return None  # everything fits (balance), or a note came in: WeasyPrint's own way

    # WeasyPrint's end of columns_layout for a page that breaks inside the columns.
    new_children = []
    current_position_y += min(max_height, max_column_height)
    for column in columns:
        column.height = max_column_height
        new_children.append(column)
    _report_footnotes(context, footnote_height)
    if not new_children:
        context.in_column = False
        return None, (0, None), {"break": "any", "page": None}, [], False
    box.children = new_children
    height = current_position_y - box.content_box_y()
    if box.height == "auto":
        box.height = height
        height_difference = 0
    else:
        height_difference = box.height - height
    if box.min_height != "auto" and box.min_height > box.height:
        height_difference += box.min_height - box.height
        box.height = box.min_height
    for child in new_children[::-1]:
        if child.is_column:
            child.height += height_difference
        else:
            break
    if column_skip_stack:
        skip, = column_skip_stack.keys()
        skip_stack = {index + skip: column_skip_stack[skip]}
    else:  # break_page
        skip_stack = {index: None}
    if context.current_footnote_area.height != "auto":
        context.page_bottom += footnote_height
        context.page_bottom -= context.current_footnote_area.margin_height()
    context.in_column = False
    return box, skip_stack, next_page, [], False


@contextlib.contextmanager
def installed():
    from weasyprint.layout import block
    original = block.columns_layout
    block.columns_layout = _shortcut(original)
    try:
        yield
    finally:
        block.columns_layout = original
