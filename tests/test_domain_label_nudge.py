"""The label nudge reads the sentence: a diagnosis always, an adjective only of the pupil."""

import pytest

from board.domain.labels import DIAGNOSES, INFLECTED, NUDGE, PLAIN, label_nudge

# (what the colleague typed, the pupil's alias, the word the nudge names or None)
SENTENCES = [
    # Diagnoses and labelling nouns: always, whatever the sentence.
    ("Hij is ADHD", "", "ADHD"),
    ("Een ADHD'er", "", "ADHD"),
    ("rekening houden met zijn ADD", "", "ADD"),
    ("extra tijd bij toetsen vanwege dyslexie", "", "dyslexie"),
    ("Dyslectisch, dus alles voorlezen", "", "Dyslectisch"),
    ("een rekenmachine, want dyscalculie", "", "dyscalculie"),
    ("Omdat hij ASS heeft: een vaste dagplanning", "", "ASS"),
    ("voorspelbaarheid vanwege zijn autisme", "", "autisme"),
    ("Hij heeft PDD-NOS", "", "PDD-NOS"),
    ("Een aanpak voor ODD", "", "ODD"),
    ("uitdagende taken, ze is hoogbegaafd", "", "hoogbegaafd"),
    ("begeleiding bij zijn angststoornis", "", "angststoornis"),
    ("Het is een probleemkind", "", "probleemkind"),
    # An adjective said of the pupil.
    ("hij is druk", "", "druk"),
    ("Hij is soms erg druk", "", "druk"),
    ("Een drukke jongen", "", "drukke"),
    ("Een druk kind", "", "druk"),
    ("Sem is lui", "", "lui"),
    ("Ze is gewoon lui", "", "lui"),
    ("ongemotiveerd", "", "ongemotiveerd"),
    ("Het is een ongemotiveerde leerling", "", "ongemotiveerde"),
    ("een lastige leerling", "", "lastige"),
    ("Sem is druk", "Sem", "druk"),
    ("Volgens mij is Sem nogal chaotisch", "", "chaotisch"),
    ("Omdat hij zo traag is, korte opdrachten", "", "traag"),
    ("Het kind is onrustig", "", "onrustig"),
    ("een zwakke lezer", "", "zwakke"),
    ("Hij is zwak in spelling", "", "zwak"),
    ("Erg druk.", "", "druk"),
    ("een drukke, lastige jongen", "", "drukke"),
    ("Brutaal tegen de juf", "", "Brutaal"),
    ("Ik vind hem eigenlijk gewoon koppig", "", "koppig"),
    ("een moeilijk meisje", "", "moeilijk"),
    # The same adjectives said of a thing or a situation: no nudge.
    ("instructie vooraf van de moeilijke woorden", "", None),
    ("een rustige plek, want een drukke klas leidt hem af", "", None),
    ("In een drukke klas raakt hij snel afgeleid", "", None),
    ("Het is druk in de klas, dus een koptelefoon", "", None),
    ("Spelling is lastig voor hem: extra oefentijd", "", None),
    ("Het is lastig voor hem om te beginnen", "", None),
    ("Dat vindt hij moeilijk, dus samen beginnen", "", None),
    ("hulp bij wat hij moeilijk vindt", "", None),
    ("Hij vindt rekenen moeilijk", "", None),
    ("Hij heeft het moeilijk met samenwerken", "", None),
    ("Hij kan moeilijk stil blijven zitten: een wiebelkussen", "", None),
    ("opdrachten die niet te moeilijk zijn", "", None),
    ("Korte taken, omdat ze anders te moeilijk zijn", "", None),
    ("Hij is druk bezig met zijn werk, dus niet storen", "", None),
    ("hij staat onder druk bij toetsen", "", None),
    ("een trage start van de dag", "", None),
    ("zijn zwakke punten samen bespreken", "", None),
    ("geen domme fouten meer tellen, alleen goede antwoorden", "", None),
    ("een brutale opmerking negeren en daarna kort bespreken", "", None),
    ("Rekenen is moeilijk; concreet materiaal", "", None),
    ("korte instructie aan de instructietafel", "", None),
    ("een drukknop om hulp te vragen", "", None),
    ("luisteren naar een korte uitleg", "", None),
    ("extra uitleg bij moeilijkheden", "", None),
    ("een domino als beloning", "", None),
    ("een vaste plek dichtbij de leerkracht", "Sem", None),
    ("", "", None),
]


@pytest.mark.parametrize(("card", "pupil", "label"), SENTENCES)
def test_the_nudge_names_the_label_only_when_the_card_labels_the_pupil(card, pupil, label):
    assert label_nudge(card, pupil) == label


def test_the_table_has_forty_sentences_with_labels_and_without():
    with_label = [row for row in SENTENCES if row[2]]

    assert len(SENTENCES) >= 40
    assert len(with_label) >= 20
    assert len(SENTENCES) - len(with_label) >= 20


def test_the_nudge_names_the_word_and_asks_gently_what_would_help():
    message = NUDGE.format(word=label_nudge("Sem is een drukke jongen"))

    assert "'drukke'" in message
    assert "Wat zou deze leerling helpen?" in message


# Every sentence of the table, and every word of the lists in the places that matter.
LIST_WORDS = sorted({*DIAGNOSES, *PLAIN, *INFLECTED, "angststoornis", "stoornissen"})
SHAPES = ("{w}", "Hij is {w}", "een {w} kind", "Sem is soms {w}.", "de {w} opdracht", "{W}, dus")
CORPUS = [card for card, _, _ in SENTENCES] + [
    shape.format(w=word, W=word.upper()) for word in LIST_WORDS for shape in SHAPES
]


@pytest.mark.parametrize("card", CORPUS)
def test_the_quick_test_for_plain_text_finds_what_the_full_reading_finds(card):
    # A character outside ASCII that is neither a letter nor punctuation of the tokens
    # sends the same card through the full reading, without the substring shortcut.
    assert label_nudge(card, "Sem") == label_nudge(card + " —", "Sem")


def test_a_long_s_in_a_diagnosis_is_still_read_as_the_diagnosis():
    assert label_nudge("vanwege zijn dyſlexie", "") == "dyſlexie"
