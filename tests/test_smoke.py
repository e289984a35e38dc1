"""A first walk through the product: create, join, run every step, close."""

from board.extensions import db


def test_a_whole_meeting_walks_through_all_steps(app, meeting):
    meeting.make_timekeeper("Anna")
    assert meeting.post("Anna", "/start").status_code == 204
    assert meeting.post("Anna", "/next").status_code == 204
    assert meeting.post("Bram", "/questions", {"text": "Sinds wanneer?"}).status_code == 204
    meeting.go_to(3)
    assert (
        meeting.post(
            "teacher", "/goal", {"field": "text", "value": "Thomas zit 4 minuten"}
        ).status_code
        == 200
    )
    meeting.go_to(4)
    response = meeting.post(
        "Bram", "/needs", {"text": "korte instructie", "category": "instructie", "client_key": "k1"}
    )
    assert response.status_code == 204, response.text
    meeting.go_to(5)
    with app.app_context():
        card_id = meeting.meeting().needs[0].id
    assert (
        meeting.post(
            "teacher", f"/needs/{card_id}/mark", {"feasibility": "feasible", "per_week": "3"}
        ).status_code
        == 200
    )
    meeting.go_to(6)
    assert (
        meeting.post("Anna", "/agreements", {"topic": "parents", "what": "Mail"}).status_code == 204
    )
    meeting.go_to(7)
    assert meeting.post("Anna", "/vote", {"worth_it": "yes"}).status_code == 200
    assert meeting.post("Anna", "/close", {"confirm": "yes"}).status_code == 204
    with app.app_context():
        stored = meeting.meeting()
        assert stored.stage == "closed"
        assert [n.per_week for n in stored.needs] == [3]
        db.session.remove()
    for who in ("teacher", "Anna", "screen"):
        assert meeting.device(who).get(meeting.url).status_code == 200
    assert meeting.teacher.get(meeting.url + "/summary").status_code == 200
