"""The entities pane: the article's people, organisations, places and dates, grouped by type with counts.

Enter on an entity asks the article view to highlight its mentions; L (on the screen) lists every article
that mentions it. Entity names are untrusted article text, fitted through the RTL engine.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.model import Entity, EntityType
from reader.ui.text import fit_cell
from reader.ui.widgets.pane_list import PaneList, movement

TYPE_LABELS = {
    EntityType.PERSON: "People",
    EntityType.ORG: "Organisations",
    EntityType.LOC: "Places",
    EntityType.DATE: "Dates",
    EntityType.FAC: "Facilities",
    EntityType.MONEY: "Money",
    EntityType.MISC: "Other",
}


class EntitiesPane(PaneList):
    """Lists an article's entities; posts ``Chosen`` for the highlighted one."""

    BINDINGS = movement("entities")

    class Chosen(Message):
        """Enter on an entity: highlight its mentions."""

        def __init__(self, entity: Entity) -> None:
            super().__init__()
            self.entity = entity

    def __init__(self, *, bidi: str = "app", id: str | None = None) -> None:
        super().__init__(id=id)
        self.bidi = bidi
        self._entities: dict[str, Entity] = {}
        self._all: tuple[Entity, ...] = ()

    def show_entities(self, entities: tuple[Entity, ...]) -> None:
        """Replace the list with ``entities`` grouped by type, most mentioned first."""
        self._all = entities
        self._entities = {}
        # The content width (padding is already outside it), less a scrollbar's cells when the list
        # will not fit: a row wider than the pane would wrap onto a second line.
        width = self.size.width
        if len(entities) + len(TYPE_LABELS) > self.size.height:
            width -= self.styles.scrollbar_size_vertical
        width = max(width, 10) if self.size.width else 26
        options: list[Option] = []
        for kind, label in TYPE_LABELS.items():
            group = sorted((e for e in entities if e.type == kind), key=lambda e: (-len(e.mentions), e.key))
            if not group:
                continue
            # Fitted like the names: a header wider than the pane would wrap onto a second line.
            header = fit_cell(f"{label} ({len(group)})", width, self.bidi, align="left")
            options.append(Option(Text(header, style="bold"), disabled=True))
            for entity in group:
                count = str(len(entity.mentions))
                option_id = f"{entity.type}:{entity.key}"
                self._entities[option_id] = entity
                name = fit_cell(entity.name, max(1, width - len(count) - 3), self.bidi, align="left")
                # The type's colour (a theme variable, $entity-person ..., resolved when drawn, so it
                # follows theme changes) goes on a marker, not the name: a coloured name would keep its
                # colour on the highlighted row's background, blue on blue for organisations.
                name_part = Content.assemble(("●", f"$entity-{entity.type.lower()}"), " ", name)
                gap = " " * max(1, width - name_part.cell_length - len(count))
                options.append(Option(Content.assemble(name_part, gap, (count, "dim")), id=option_id))
        if not options:
            options.append(Option(Text("No entities", style="dim"), disabled=True))
        self.clear_options()
        self.add_options(options)

    def on_resize(self) -> None:
        self.show_entities(self._all)

    @property
    def current(self) -> Entity | None:
        """The highlighted entity."""
        if self.highlighted is None:
            return None
        option = self.get_option_at_index(self.highlighted)
        return self._entities.get(option.id or "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entity = self._entities.get(event.option.id or "")
        if entity is not None:
            self.post_message(self.Chosen(entity))
