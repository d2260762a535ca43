"""The knowledge content: complete, cited, in plain words, and free of brands, shops and drugs."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from nightspine.knowledge.loader import load_knowledge

DATA = resources.files("nightspine.knowledge").joinpath("data")

# Brand and product names people meet in articles about back pain and sleep, and prescription
# medicines (generic and brand names). None may appear in anything the product shows.
DENYLIST = (
    # mattresses, pillows, bedding and sellers
    "tempur",
    "casper",
    "saatva",
    "simba",
    "nectar",
    "sealy",
    "serta",
    "sleep number",
    "ikea",
    "amazon",
    "walmart",
    "tuft & needle",
    "leesa",
    "helix",
    "eve sleep",
    "dreamcloud",
    "mypillow",
    "coop home",
    "purple mattress",
    # devices and rubs
    "theragun",
    "hypervolt",
    "tens unit",
    "deep heat",
    "tiger balm",
    "biofreeze",
    "icy hot",
    "thermacare",
    "salonpas",
    # over-the-counter brands
    "advil",
    "motrin",
    "nurofen",
    "tylenol",
    "panadol",
    "aleve",
    "voltaren",
    "bayer",
    "excedrin",
    # prescription medicines
    "codeine",
    "tramadol",
    "oxycodone",
    "hydrocodone",
    "morphine",
    "fentanyl",
    "tapentadol",
    "diazepam",
    "valium",
    "cyclobenzaprine",
    "flexeril",
    "methocarbamol",
    "baclofen",
    "tizanidine",
    "carisoprodol",
    "gabapentin",
    "pregabalin",
    "lyrica",
    "neurontin",
    "amitriptyline",
    "duloxetine",
    "cymbalta",
    "celecoxib",
    "celebrex",
    "diclofenac",
    "naproxen",
    "etoricoxib",
    "meloxicam",
    "prednisolone",
    "prednisone",
    "zolpidem",
    "zopiclone",
    "ambien",
    "temazepam",
    "alendronate",
)
SHOP_WORDS = (
    r"\bbuy\w*",
    r"\bbought\b",
    r"\bpurchas\w*",
    r"\bshop\b",
    r"\bshops\b",
    r"\bshopping\b",
    r"\bdiscount\w*",
    r"\bcoupon\w*",
    r"\bon sale\b",
    r"\bbest[- ]seller\w*",
    r"\bprice\w*",
    r"\bretailer\w*",
    r"\border (it |one )?online\b",
    r"\baffiliate\b",
)


def _all_text() -> dict[str, str]:
    return {
        f.name: f.read_text(encoding="utf-8")
        for f in DATA.iterdir()
        if f.name.endswith(".yaml") and not f.name.startswith("sources")
    }


@pytest.mark.parametrize("name", sorted(_all_text()))
def test_no_brands_products_or_prescription_drugs(name: str) -> None:
    text = _all_text()[name].lower()
    found = [w for w in DENYLIST if re.search(rf"\b{re.escape(w)}\b", text)]
    assert not found, f"{name} names {found}"


@pytest.mark.parametrize("name", sorted(_all_text()))
def test_no_shop_wording(name: str) -> None:
    text = _all_text()[name].lower()
    found = [m.group(0) for p in SHOP_WORDS for m in re.finditer(p, text)]
    assert not found, f"{name} uses shop wording {found}"


def test_the_scan_catches_a_brand_and_shop_wording() -> None:
    sample = "buy a tempur pillow and take codeine"
    assert any(re.search(rf"\b{re.escape(w)}\b", sample) for w in DENYLIST)
    assert any(re.search(p, sample) for p in SHOP_WORDS)


def test_every_contributor_has_advice_addressing_it() -> None:
    kb = load_knowledge()
    addressed = {t for a in kb.advice.values() if a.for_triage is None for t in a.addresses}
    missing = sorted(set(kb.vocabulary.contributors) - addressed)
    assert not missing, f"no advice addresses {missing}"


def test_every_contributor_explained_with_examples() -> None:
    kb = load_knowledge()
    assert set(kb.contributors) == set(kb.vocabulary.contributors)
    for item in kb.contributors.values():
        assert len(item.explanation) > 120, item.id
        assert item.examples, item.id


def test_every_item_cites_known_sources() -> None:
    kb = load_knowledge()
    items = [
        *kb.anatomy,
        *kb.contributors.values(),
        *kb.advice.values(),
        *kb.doctor.write_down,
        *kb.doctor.what_a_doctor_may_do,
    ]
    for item in items:
        assert item.sources, item.id
        unknown = [s for s in item.sources if s not in kb.sources]
        assert not unknown, f"{item.id} cites {unknown}"


def test_content_sources_do_not_redefine_core_sources() -> None:
    text = DATA.joinpath("sources_content.yaml").read_text(encoding="utf-8")
    for core in ("nice_ng59", "red_flags_framework", "asas_ibp", "kovacs_2003"):
        assert f"id: {core}\n" not in text


def test_every_advice_item_says_when() -> None:
    kb = load_knowledge()
    whens = {a.when for a in kb.advice.values()}
    assert whens == {"tonight", "next_two_weeks", "ongoing"}


# What a careful reader must be able to learn here (issue 2, section 2), topic -> words.
ADVICE_TOPICS = {
    "neutral spine": "neutral spine",
    "back: pillow under the knees": "rolled towel under your knees",
    "side: pillow between the knees": "pillow between the knees",
    "side: fill the gap to the shoulder": "fills the gap to the shoulder",
    "body pillow": "body pillow",
    "stomach: flat pillow, pillow under hips": "pillow under your hips",
    "change position": "change position during the night",
    "more or fewer pillows": "more or fewer pillows",
    "medium-firm mattress": "medium-firm",
    "topper": "topper",
    "heat or ice": "heat, or ice",
    "shoulder rolls": "shoulder rolls",
    "chin tucks": "chin tucks",
    "strengthening": "strengthen the upper back",
    "foam roller": "foam roller",
    "yoga": "yoga",
    "pilates": "pilates",
    "stress management": "slow breathing",
    "meditation": "meditation",
    "breaks from sitting": "break up sitting",
    "carry on both sides": "carry loads on both sides",
    "warm-up and lifting": "warm up",
    "regular exercise": "regular exercise",
    "sleep schedule": "same times every day",
    "caffeine": "caffeine",
    "alcohol": "alcohol late",
    "screens out of bed": "screens out of bed",
    "stopping smoking": "stop smoking",
    "pharmacist for over-the-counter": "ask a pharmacist",
    "doctor for prescription": "prescription medicines",
    "physiotherapy": "physiotherapist",
    "massage": "massage",
    "manipulation": "manipulation",
    "when to see a professional": "when to see a professional",
}


@pytest.mark.parametrize("topic", sorted(ADVICE_TOPICS))
def test_advice_covers_topic(topic: str) -> None:
    kb = load_knowledge()
    text = " ".join(f"{a.title} {a.explanation} {a.caution}" for a in kb.advice.values()).lower()
    assert ADVICE_TOPICS[topic] in text, topic


def test_daytime_activity_is_noted_as_the_more_common_cause() -> None:
    kb = load_knowledge()
    texts = [a.explanation for a in kb.anatomy] + [a.explanation for a in kb.advice.values()]
    assert any("more often the" in t and "sleeping position" in t for t in texts)


def test_anatomy_in_brief() -> None:
    text = " ".join(a.explanation for a in load_knowledge().anatomy)
    for words in ("12 vertebrae", "shoulder blades", "discs", "ligaments", "less common"):
        assert words in text, words


def test_doctor_guide_covers_what_to_write_down_and_what_a_doctor_may_do() -> None:
    doctor = load_knowledge().doctor
    write = " ".join(i.explanation for i in doctor.write_down)
    for words in ("lie down", "after some hours lying", "on waking", "night only", "propping"):
        assert words in write, words
    may = " ".join(f"{i.title} {i.explanation}" for i in doctor.what_a_doctor_may_do)
    for words in ("X-ray", "MRI", "examine", "story"):
        assert words.lower() in may.lower(), words
    assert doctor.questions_to_ask


def test_medicines_only_through_a_pharmacist_or_doctor() -> None:
    kb = load_knowledge()
    for advice in kb.advice.values():
        text = f"{advice.title} {advice.explanation}".lower()
        if "pain relie" in text or "medicine" in text or "painkiller" in text:
            assert "pharmacist" in text or "doctor" in text, advice.id


def test_loader_rejects_a_questionnaire_that_breaks_the_rules() -> None:
    from nightspine.errors import KnowledgeError
    from nightspine.knowledge.loader import _check_content
    from nightspine.knowledge.schema import Conditions, Question, Section

    kb = load_knowledge()
    sections = list(kb.questionnaire.sections)
    bad_follow_up = Question(
        key="chest_pain_or_pressure",
        text="Chest pain?",
        short="chest pain",
        show_if=Conditions.model_validate({"all": [{"key": "age", "at_least": 60}]}),
        group="no_such_group",
    )
    first = sections[0]
    questions = [bad_follow_up if q.key == bad_follow_up.key else q for q in first.questions]
    sections[0] = Section(**{**first.model_dump(), "questions": questions})
    broken = kb.model_copy(
        update={"questionnaire": kb.questionnaire.model_copy(update={"sections": tuple(sections)})}
    )
    with pytest.raises(KnowledgeError) as info:
        _check_content(broken)
    message = str(info.value)
    assert "may only depend on warning signs" in message
    assert "show_if must name an earlier question" in message
    assert "group 'no_such_group' must be a yes/no question" in message


CONTRIBUTOR_TOPICS = (
    "twisted",
    "too high",
    "flat",
    "sagging",
    "stiffen",
    "turning",
    "slouching",
    "heavy bag",
    "sitting",
    "weightlifting",
    "throwing",
    "repetitive",
    "whiplash",
    "old injury",
    "stress",
    "smoking",
    "dizziness or drowsiness",
    "osteoarthritis",
    "rheumatoid arthritis",
    "osteoporosis",
    "herniated",
    "degenerative disc",
    "fibromyalgia",
    "scoliosis",
    "kyphosis",
    "stenosis",
    "myofascial",
)


@pytest.mark.parametrize("words", CONTRIBUTOR_TOPICS)
def test_contributors_cover_topic(words: str) -> None:
    kb = load_knowledge()
    text = " ".join(
        f"{c.title} {c.explanation} {' '.join(c.examples)}" for c in kb.contributors.values()
    ).lower()
    assert words in text, words
