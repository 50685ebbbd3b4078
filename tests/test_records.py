"""edition/records.py's Record behaves as the dataclass it stands in for (fields, init, repr,
equality, hash, order, frozenness, replace, pickling): the same operations on a Record class and
on the @dataclass of the same fields give the same results."""
from __future__ import annotations

import dataclasses
import pickle

import pytest
from hypothesis import given, strategies as st

from edition.records import Factory, FrozenInstanceError, Record


class Point(Record, frozen=True, order=True):
    x: int
    y: int = 0
    tags: list = Factory(list)


@dataclasses.dataclass(frozen=True, order=True)
class PointDC:
    x: int
    y: int = 0
    tags: list = dataclasses.field(default_factory=list)


class Cell(Record):
    value: str
    note: str = ""


@dataclasses.dataclass
class CellDC:
    value: str
    note: str = ""


class Node(Record, eq=False):
    name: str


@dataclasses.dataclass(eq=False)
class NodeDC:
    name: str


class Child(Cell):
    extra: int = 1


@dataclasses.dataclass
class ChildDC(CellDC):
    extra: int = 1


def _shown(record) -> str:
    return repr(record).replace("DC(", "(", 1)


values = st.integers(-5, 5)


@given(values, values, values, values)
def test_a_frozen_ordered_record_compares_hashes_and_prints_as_its_dataclass(a, b, c, d):
    left, right, left_dc, right_dc = Point(a, b), Point(c, y=d), PointDC(a, b), PointDC(c, y=d)
    assert (left == right, left < right, left <= right, left > right, left >= right) == \
        (left_dc == right_dc, left_dc < right_dc, left_dc <= right_dc, left_dc > right_dc, left_dc >= right_dc)
    assert _shown(left) == _shown(left_dc).replace("PointDC", "Point")
    hashable, hashable_dc = Point(a, b, ()), PointDC(a, b, ())
    assert hash(hashable) == hash(Point(a, b, ())) and (hash(hashable) == hash(Point(c, d, ()))) == \
        (hash(hashable_dc) == hash(PointDC(c, d, ())))
    for cls in (Point, PointDC):
        with pytest.raises(TypeError):
            hash(cls(a, b))  # a list among the values, as a dataclass


def test_a_frozen_record_refuses_to_change_and_replace_makes_a_copy():
    point = Point(1)
    with pytest.raises(FrozenInstanceError):
        point.x = 2
    with pytest.raises(FrozenInstanceError):
        del point.y
    assert isinstance(FrozenInstanceError("x"), AttributeError)
    assert point.replace(y=3) == Point(1, 3) and point == Point(1, 0)
    assert dataclasses.replace(PointDC(1), y=3) == PointDC(1, 3)


def test_a_default_factory_makes_a_new_value_for_each_record():
    first, second = Point(1), Point(2)
    first.tags.append("a")
    assert second.tags == [] and PointDC(2).tags == []
    assert "tags" not in Point.__dict__  # the Factory is not left as a class attribute


def test_a_mutable_record_is_equal_by_value_and_unhashable_as_a_dataclass_is():
    assert (Cell("a") == Cell("a", ""), Cell("a") == Cell("b")) == (CellDC("a") == CellDC("a", ""), CellDC("a") == CellDC("b"))
    for cls in (Cell, CellDC):
        with pytest.raises(TypeError):
            hash(cls("a"))
    cell = Cell("a")
    cell.note = "n"
    assert repr(cell) == "Cell(value='a', note='n')" == _shown(CellDC("a", "n")).replace("CellDC", "Cell")
    assert Cell("a") != CellDC("a") and Child("a") != Cell("a")  # another class is never equal


def test_a_record_without_eq_is_equal_only_to_itself_and_hashable():
    one, other = Node("n"), Node("n")
    assert (one == other, one == one) == (NodeDC("n") == NodeDC("n"), True)
    assert hash(one) != hash(other) or one is not other


def test_fields_come_after_the_parents_and_arguments_are_checked_as_a_dataclass_does():
    assert Child._fields == tuple(f.name for f in dataclasses.fields(ChildDC)) == ("value", "note", "extra")
    assert Child("v", "n", 2) == Child(value="v", note="n", extra=2)
    for cls in (Child, ChildDC):
        with pytest.raises(TypeError):
            cls()  # a field without default
        with pytest.raises(TypeError):
            cls("v", "n", 2, 3)  # too many
        with pytest.raises(TypeError):
            cls("v", value="w")  # given twice
        with pytest.raises(TypeError):
            cls("v", colour="red")  # no such field


def test_records_survive_pickling_frozen_or_not():
    for record in (Point(1, 2, ["t"]), Cell("a", "b"), Child("a", extra=5)):
        again = pickle.loads(pickle.dumps(record))
        assert again == record and type(again) is type(record)
