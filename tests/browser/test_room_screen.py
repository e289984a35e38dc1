"""The room screen fits the projector at every stage: on 1920×1080, 1280×720 and 1024×768,
with a full meeting (12 colleagues, 30 questions, 40 need cards of realistic and maximum
length, 15 agreements, 13 votes) nothing is cut off and the page never scrolls. Where the
content does not fit at the smallest readable type, the screen turns pages by itself and
every card is whole on one of them."""

import re
import time
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from board.cli import DEMO_GOAL, DEMO_PLAN_NOTE, DEMO_SUPPORT, create_demo, demo_links
from board.domain.agreements import Topic
from board.domain.needs import Category
from board.domain.steps import Stage
from board.domain.text import LIMITS
from board.extensions import db
from board.models import Agreement, Meeting, NeedCard, Participant, Question, YieldVote
from board.services.common import utcnow

from .conftest import shoot
from .test_meeting import csrf

pytestmark = pytest.mark.browser

SIZES = ((1920, 1080), (1280, 720), (1024, 768))
# The smallest content text: 2.4% of the screen's height (0.8 rem, the root being 3vh).
SMALLEST_SHARE = 0.024
COLLEAGUES = (
    "Anna", "Bram", "Chantal", "Dewi", "Emre", "Fleur",
    "Gijs", "Hanna", "Ilse", "Joost", "Karima", "Lotte",
)  # fmt: skip
REALISTIC_NEEDS = (
    "vooraf in twee zinnen horen wat er in de kring gebeurt en hoe lang het duurt",
    "een taakje in de kring, zoals de kalender omslaan of de praatsteen doorgeven",
    "direct een knikje of een duim als hij blijft zitten",
    "een vaste plek naast de juf, op een wiebelkussen",
    "een zandloper of time-timer die laat zien hoe lang het nog duurt",
    "een maatje naast zich dat hem rustig helpt herinneren",
    "na de kring eerst twee minuten bewegen voordat hij gaat werken",
    "thuis ook oefenen met de zandloper, bijvoorbeeld bij het eten",
    "korte instructie aan de instructietafel voordat de groep begint",
    "de opdracht in kleine stappen op een kaartje op zijn tafel",
    "elke ochtend een compliment over zijn inzet, niet over het resultaat",
    "een pictogram van het dagritme op zijn tafel",
    "samen met de juf een doel voor de week kiezen en dat vrijdag vieren",
    "een rustige plek om even bij te komen als het hem te veel wordt",
)
LONG_NEED = (
    "een vaste, korte instructie aan de instructietafel vóór elke rekenles, waarin de juf "
    "met concreet materiaal voordoet hoe de som werkt, hij het daarna zelf hardop nadoet, "
    "en hij pas aan het werk gaat als hij in eigen woorden kan zeggen wat hij moet doen; "
    "met een kaartje met de stappen op zijn tafel, elke dag."
)
QUESTION = "Wat gebeurt er vlak voordat hij opstaat, en merk je verschil tussen de dagen?"
AGREEMENT = (
    "Juf Sanne bespreekt het doel en de stempelkaart in een kort gesprek met de ouders; "
    "daarna stuurt ze elke vrijdag een foto van de kaart."
)
LONG_ANSWER = (
    "Thomas komt in de ochtendkring moeilijk tot rust. Hij staat na een minuut of twee op, "
    "loopt naar de kast of naar het raam en komt pas terug als ik hem roep. "
) * 12


def full_meeting() -> Meeting:
    """The demo meeting with a full team and everything a long meeting produces."""
    meeting = create_demo()
    meeting.prep_strengths = LONG_ANSWER[: LIMITS["answer"]]
    meeting.prep_worries = LONG_ANSWER[:900]
    now = utcnow()
    for name in COLLEAGUES:
        meeting.participants.append(
            Participant(name=name, name_key=name.lower(), role="colleague", joined_at=now)
        )
    db.session.flush()
    people = [p.id for p in meeting.participants if p.role == "colleague"]
    meeting.timekeeper_id = people[0]
    for index in range(30):
        text = LONG_NEED[: LIMITS["card"]] if index % 10 == 9 else QUESTION[: 40 + index * 3]
        meeting.questions.append(
            Question(author_id=people[index % 12], text=text, answered=index < 12, created_at=now)
        )
    for key, value in DEMO_GOAL.items():
        setattr(meeting, f"goal_{key}", value)
    categories = list(Category)
    for index in range(39):
        long = index % 5 == 4
        text = LONG_NEED[: LIMITS["card"]] if long else REALISTIC_NEEDS[index % 14]
        meeting.needs.append(
            NeedCard(
                author_id=people[index % 12],
                client_key=f"room-{index}",
                category=categories[index % len(categories)],
                text=text,
                created_at=now + timedelta(seconds=index),
            )
        )
    meeting.support_needs = DEMO_SUPPORT
    meeting.plan_note = DEMO_PLAN_NOTE
    topics = list(Topic)
    for index in range(15):
        meeting.agreements.append(
            Agreement(
                author_id=people[index % 12],
                topic=topics[index % 4],
                what=AGREEMENT[: 120 + index * 12][: LIMITS["agreement"]],
                who=COLLEAGUES[index % 12],
                when="Vóór de herfstvakantie",
                created_at=now,
            )
        )
    voters = [p.id for p in meeting.participants]
    for index, voter in enumerate(voters):
        meeting.votes.append(
            YieldVote(
                participant_id=voter,
                worth_it=index % 4 != 3,
                why="Het doel werd klein en concreet; ik weet morgen wat ik anders doe.",
                brought="Ik ga de stempelkaart ook proberen." if index % 2 else "",
                voted_at=now,
            )
        )
    db.session.commit()
    return meeting


def go_to(board_app, meeting_id: str, stage: Stage) -> None:
    """Put the meeting in a stage, its step's timer running for a minute; on step 5 the
    teacher has marked the cards."""
    with board_app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        meeting.stage = stage.value
        meeting.started_at = meeting.started_at or time.time() - 600
        row = meeting.current_step_time
        if row is not None:
            row.started_at = time.time() - 60
        if stage is Stage.FEASIBILITY:
            for index, card in enumerate(meeting.needs):
                if index % 3 == 0:
                    card.feasibility, card.per_week, card.plan_place = "feasible", 3, "Groepsplan"
                elif index % 3 == 1:
                    card.feasibility = "not_now"
        meeting.version += 1
        db.session.commit()


# Everything on the screen that holds content: each must be whole on some page.
CONTENT = ".card-item, .fit-item, .reasons li, .goal-text, .goal-parts dd, .join-box, .names li"
MEASURE = """([selector, share]) => {
  const vw = window.innerWidth, vh = window.innerHeight;
  const inside = (r, box) => r.left >= box.left - 1 && r.right <= box.right + 1
    && r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
  const meets = (r, box) => r.right > box.left + 1 && r.left < box.right - 1
    && r.bottom > box.top + 1 && r.top < box.bottom - 1;
  const view = {left: 0, top: 0, right: vw, bottom: vh};
  const whole = [], cut = [], small = [], parts = [];
  const smallest = share * vh - 0.2;
  document.querySelectorAll(selector).forEach((el, index) => {
    const rects = [...el.getClientRects()].filter(r => r.width > 0 && r.height > 0);
    if (!rects.length) return;
    const flow = el.closest('.flow');
    const box = flow ? flow.getBoundingClientRect() : view;
    rects.forEach((r, part) => {
      parts.push(index + ':' + part);
      if (!meets(r, box)) return;
      if (inside(r, box) && inside(r, view)) whole.push(index + ':' + part);
      else cut.push(el.textContent.trim().slice(0, 60));
    });
    if (!rects.some(r => meets(r, box))) return;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < smallest) small.push([el.textContent.trim().slice(0, 40), size]);
  });
  const root = document.scrollingElement;
  return {
    whole, cut, small, parts,
    count: document.querySelectorAll(selector).length,
    scroll: [root.scrollWidth - vw, root.scrollHeight - vh],
    pages: [...document.querySelectorAll('.flow')].map(f => Number(f.dataset.pages || 1)),
  };
}"""


def measure_every_page(screen: Page, name: str) -> dict:
    """Every page the screen shows, measured: each content box whole inside the viewport
    (and its flow) on some page, the page unscrolled, the type at least the minimum. A long
    text that continues in the next column counts per column. Returns the numbers."""
    screen.wait_for_function("document.querySelectorAll('.flow:not([data-pages])').length === 0")
    first = screen.evaluate(MEASURE, [CONTENT, SMALLEST_SHARE])
    pagers = screen.locator(".pager")
    turns = max([pages - 1 for pages in first["pages"]] or [0])
    results = [first]
    shoot(screen, f"{name}-p1", full_page=False)
    for turn in range(turns):
        for index in range(pagers.count()):
            pagers.nth(index).click()
        result = screen.evaluate(MEASURE, [CONTENT, SMALLEST_SHARE])
        results.append(result)
        shoot(screen, f"{name}-p{turn + 2}", full_page=False)
    for result in results:
        assert result["scroll"] == [0, 0], (name, "the page scrolls", result["scroll"])
        assert not result["cut"], (name, "cut off", result["cut"])
        assert not result["small"], (name, "type below the minimum", result["small"])
    # Every box (each column of a long text) is whole on some page; every box is shown.
    seen = {part for result in results for part in result["whole"]}
    unseen = {part for result in results for part in result["parts"]} - seen
    assert not unseen, (name, "never shown whole", unseen)
    shown = {int(part.split(":")[0]) for part in seen}
    assert shown == set(range(first["count"])), (name, "never shown", first["count"], shown)
    return first


def join_phone(devices, link: dict, name: str) -> Page:
    phone = devices.phone()
    phone.goto(link["join_url"])
    phone.get_by_label("Jouw naam").fill(name)
    phone.get_by_role("button", name="Naar binnen").click()
    expect(phone.locator("[data-connection]")).to_have_text("live")
    return phone


@pytest.mark.parametrize(("width", "height"), SIZES, ids=lambda size: str(size))
def test_every_stage_fits_the_projector_with_a_full_meeting(
    devices, board_app, server, width, height
):
    with board_app.app_context():
        link = demo_links(full_meeting())
    screen = devices.open({"viewport": {"width": width, "height": height}})
    screen.goto(link["screen_url"])
    board = screen.url
    size = f"room-{width}x{height}"
    expect(screen.locator(".join-code")).to_be_visible()
    measure_every_page(screen, f"{size}-lobby")

    paged = {}
    for stage in list(Stage)[2:9]:
        go_to(board_app, link["meeting_id"], stage)
        screen.goto(board)
        expect(screen.locator("#stage")).to_have_attribute("data-stage", stage.value)
        if stage is Stage.NEEDS:
            # The 40th card comes from a phone while the screen shows the 39: it re-fits.
            phone = join_phone(devices, link, "Mila")
            phone.request.post(
                f"/m/{link['meeting_id']}/needs",
                form={
                    "csrf_token": csrf(phone),
                    "stage": stage.value,
                    "client_key": "room-40",
                    "category": Category.PARENTS.value,
                    "text": LONG_NEED[: LIMITS["card"]],
                },
            )
            expect(screen.locator("#needs .card-item")).to_have_count(40)
            expect(screen.locator("#needs-title")).to_have_text("Onderwijsbehoeften (40)")
        numbers = measure_every_page(screen, f"{size}-{stage.value}")
        paged[stage.value] = numbers["pages"]
    assert not devices.errors, "\n".join(devices.errors)
    # With this much content the preparation and the needs cannot fit at a readable size.
    assert max(paged["step1"]) > 1, paged
    assert max(paged["step4"]) > 1, paged


def test_the_screen_turns_its_pages_by_itself_and_says_where_it_is(devices, board_app):
    with board_app.app_context():
        link = demo_links(full_meeting())
    go_to(board_app, link["meeting_id"], Stage.NEEDS)
    screen = devices.open({"viewport": {"width": 1280, "height": 720}})
    screen.clock.install()
    screen.goto(link["screen_url"])
    pager = screen.locator(".pager")
    expect(pager).to_have_text(re.compile(r"^1/\d · volgende ›$"))
    pages = int(re.search(r"/(\d)", pager.inner_text())[1])
    first = screen.locator("#needs .card-item").first
    expect(first).to_be_in_viewport()
    screen.clock.run_for(15_000)
    expect(pager).to_have_text(re.compile(rf"^2/{pages} "))
    expect(first).not_to_be_in_viewport()
    screen.clock.run_for(15_000 * (pages - 1))
    expect(pager).to_have_text(re.compile(rf"^1/{pages} "))
    expect(first).to_be_in_viewport()


def test_the_screen_and_the_timekeepers_phone_show_how_far_the_meeting_runs_over(
    devices, board_app
):
    with board_app.app_context():
        link = demo_links(full_meeting())
    phone = join_phone(devices, link, "Mila")
    with board_app.app_context():
        meeting = db.session.get(Meeting, link["meeting_id"])
        now = time.time()
        # Step 1 took its five minutes; step 2 has run fifteen of its ten.
        meeting.stage = Stage.QUESTIONS.value
        meeting.started_at = now - 20 * 60
        meeting.step_times[0].elapsed_seconds = 300.0
        meeting.step_times[1].started_at = now - 15 * 60
        meeting.timekeeper_id = next(p.id for p in meeting.participants if p.name == "Mila")
        meeting.version += 1
        db.session.commit()
    screen = devices.screen()
    screen.goto(link["screen_url"])
    phone.reload()
    for page in (screen, phone):
        clock = page.locator("[data-meeting-clock]")
        expect(clock).to_be_visible()
        expect(clock).to_contain_text(re.compile(r"Gestart \d\d:\d\d · gepland klaar \d\d:\d\d"))
        expect(clock.locator("[data-meeting-over]")).to_have_text("5 min uitloop")
    # The other colleagues' phones do not show it: it is the timekeeper's.
    other = join_phone(devices, link, "Noor")
    expect(other.locator("#clock")).to_be_visible()
    expect(other.locator("[data-meeting-clock]")).to_be_hidden()
