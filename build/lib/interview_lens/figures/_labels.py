"""Label placement without overlaps: node labels of a network beside their node, point labels
of a map (correspondence analysis) near their point, each in the first free place tried."""
from __future__ import annotations

from typing import Mapping, Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure

_NEAR = [((3, 0), "left", "center"), ((-3, 0), "right", "center"), ((0, 3), "center", "bottom"),
         ((0, -3), "center", "top"), ((3, 3), "left", "bottom"), ((-3, 3), "right", "bottom"),
         ((3, -3), "left", "top"), ((-3, -3), "right", "top")]
_PLACES = _NEAR + [((4 * dx, 4 * dy), ha, va) for (dx, dy), ha, va in _NEAR]


def _overlaps(box, boxes) -> bool:
    x0, y0, x1, y1 = box[:4]
    return any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in boxes)


def place_point_labels(ax: Axes, points: list[tuple[float, float, str, dict]], obstacles: list,
                  ) -> list[bool]:
    """Write each label at its first free place; returns whether each one was written."""
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    placed = list(obstacles)
    written = []
    for x, y, text, style in points:
        own = ax.transData.transform((x, y))
        # the label's own point is no obstacle to it
        others = [b for b in placed if not (b[4] == "point" and b[0] <= own[0] <= b[2]
                                            and b[1] <= own[1] <= b[3])]
        done = False
        for k, (xy, ha, va) in enumerate(_PLACES):
            far = k >= len(_NEAR)
            art = ax.annotate(text, (x, y), xytext=xy, textcoords="offset points", ha=ha,
                              va=va, zorder=5, annotation_clip=False,
                              arrowprops=({"arrowstyle": "-", "color": "#999999",
                                           "linewidth": 0.4, "shrinkA": 0, "shrinkB": 1.5}
                                          if far else None),
                              **style)
            ext = art.get_window_extent(renderer)
            box = (ext.x0 - 1, ext.y0 - 1, ext.x1 + 1, ext.y1 + 1)
            inside = (box[0] >= frame.x0 and box[2] <= frame.x1 and box[1] >= frame.y0
                      and box[3] <= frame.y1)
            if inside and not _overlaps(box, others):
                placed.append((*box, "label"))
                done = True
                break
            art.remove()
        written.append(done)
    return written


def place_node_labels(ax: Axes, fig: Figure, pos: Mapping, labels: Mapping, radius_pt: Mapping,
                  avoid: Sequence = ()) -> None:
    """Write each node's label just outside the node: below it, else above, right or left,
    whichever first overlaps neither an already placed label, another node nor the caption."""
    renderer = fig.canvas.get_renderer()
    to_px = fig.dpi / 72.0
    discs = {}
    for c, (x, y) in pos.items():
        px, py = ax.transData.transform((x, y))
        r = radius_pt[c] * to_px
        discs[c] = (px - r, py - r, px + r, py + r)
    placed: list[tuple[float, float, float, float]] = []
    for artist in avoid:
        ext = artist.get_window_extent(renderer)
        placed.append((ext.x0, ext.y0, ext.x1, ext.y1))

    def clash(box, own):
        x0, y0, x1, y1 = box
        for other in placed:
            if x0 < other[2] and other[0] < x1 and y0 < other[3] and other[1] < y1:
                return True
        for c, d in discs.items():
            if c != own and x0 < d[2] and d[0] < x1 and y0 < d[3] and d[1] < y1:
                return True
        return False

    for c in sorted(pos, key=lambda k: -radius_pt[k]):  # big nodes choose first
        off = radius_pt[c] + 1.5
        candidates = [((0, -off), "center", "top"), ((0, off), "center", "bottom"),
                      ((off, 0), "left", "center"), ((-off, 0), "right", "center")]
        for k, (xy, ha, va) in enumerate(candidates):
            text = ax.annotate(labels[c], pos[c], xytext=xy, textcoords="offset points",
                               ha=ha, va=va, fontsize=6.5, zorder=5,
                               bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none",
                                         alpha=0.85))
            ext = text.get_window_extent(renderer)
            box = (ext.x0, ext.y0, ext.x1, ext.y1)
            if not clash(box, c) or k == len(candidates) - 1:
                if clash(box, c):  # nothing is free: fall back to below, the usual place
                    text.remove()
                    text = ax.annotate(labels[c], pos[c], xytext=candidates[0][0],
                                       textcoords="offset points", ha="center", va="top",
                                       fontsize=6.5, zorder=5,
                                       bbox=dict(boxstyle="round,pad=0.15", fc="white",
                                                 ec="none", alpha=0.85))
                    ext = text.get_window_extent(renderer)
                    box = (ext.x0, ext.y0, ext.x1, ext.y1)
                placed.append(box)
                break
            text.remove()
