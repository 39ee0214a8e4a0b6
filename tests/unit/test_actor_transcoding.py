"""The actor of a stored event: an actor recorded before actors named their person (or
before organisations) decodes as it was written, a named one keeps its name and position,
and an actor without them is stored exactly as such actors always were."""

from __future__ import annotations

from domain.actors import Actor, Role
from stores.tokens import Principal
from usecases.records import ActorAsDict, actor_of

CODEC = ActorAsDict()


def test_an_actor_stored_before_names_decodes_unchanged() -> None:
    oldest = {"id": "tok_2db0e212340c", "role": "committee", "department": None}
    with_organisation = oldest | {"organisation": "huyen-yen-hoa"}
    assert CODEC.decode(oldest) == Actor("tok_2db0e212340c", Role.COMMITTEE)
    decoded = CODEC.decode(with_organisation)
    assert decoded == Actor("tok_2db0e212340c", Role.COMMITTEE, organisation="huyen-yen-hoa")
    assert (decoded.name, decoded.position) == (None, None)
    # stored again, each is what was written, key for key: no field added to old events
    assert CODEC.encode(CODEC.decode(oldest)) == oldest
    assert CODEC.encode(decoded) == with_organisation


def test_a_named_actor_round_trips_with_its_name_and_position() -> None:
    actor = Actor(
        "tok_5a1f00c0ffee",
        Role.DEPARTMENT,
        "so-xay-dung",
        "tinh-hung-lam",
        name="Nguyễn Thị Lan",
        position="Phó Giám đốc",
    )
    stored = CODEC.encode(actor)
    assert stored == {
        "id": "tok_5a1f00c0ffee",
        "role": "department",
        "department": "so-xay-dung",
        "organisation": "tinh-hung-lam",
        "name": "Nguyễn Thị Lan",
        "position": "Phó Giám đốc",
    }
    assert CODEC.decode(stored) == actor
    # a name without a position stores no position
    assert "position" not in CODEC.encode(Actor("tok_1", Role.CLERK, name="máy nhập liệu"))


def test_decoded_actors_are_shared_per_actor_and_names_keep_them_apart() -> None:
    stored = {"id": "tok_1", "role": "clerk", "department": None, "name": "Lan"}
    assert CODEC.decode(dict(stored)) is CODEC.decode(dict(stored))  # the cache still serves
    renamed = CODEC.decode(stored | {"name": "Lan (đổi tên)"})
    assert renamed.name == "Lan (đổi tên)" and renamed is not CODEC.decode(stored)
    assert actor_of("tok_1", "clerk", None) == Actor("tok_1", Role.CLERK)


def test_a_principal_acts_under_the_persons_name_else_the_tokens() -> None:
    client = Principal("tok_1", "Cổng dịch vụ công", Role.CLERK, None, "Cổng dịch vụ công")
    assert (client.actor.name, client.actor.position) == ("Cổng dịch vụ công", None)
    person = Principal(
        "tok_2",
        "laptop của Lan",
        Role.COMMITTEE,
        None,
        "lan",
        "huyen-yen-hoa",
        full_name="Nguyễn Thị Lan",
        position="Chánh Văn phòng",
        account="lan",
    )
    assert person.actor == Actor(
        "tok_2",
        Role.COMMITTEE,
        organisation="huyen-yen-hoa",
        name="Nguyễn Thị Lan",
        position="Chánh Văn phòng",
    )
