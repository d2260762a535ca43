"""Plain words for answer keys and values, as a clinician would read them on the report.

Pure: the report's content model and the exports use these; nothing here imports a shell.
"""

from __future__ import annotations

from collections.abc import Iterable

KEY_WORDS: dict[str, str] = {
    "age": "Age",
    "sex": "Sex",
    "pregnant": "Pregnant",
    "pain_locations": "Where the pain is",
    "radiates_to": "Spreads to",
    "side": "Side",
    "pain_now": "Pain now (0-10)",
    "pain_worst_night": "Worst pain at night (0-10)",
    "quality": "Quality",
    "onset": "Onset",
    "onset_event": "Started with",
    "duration_days": "Duration (days)",
    "course": "Course",
    "when_worse": "Worse",
    "wakes_from_sleep": "Wakes from sleep with pain",
    "relief": "Relieved by",
    "morning_stiffness_minutes": "Morning stiffness (minutes)",
    "worse_with_cough_or_strain": "Worse on coughing or straining",
    "nsaid_helps": "Anti-inflammatory painkillers clearly help",
    "impact_on_daily_life": "Impact on daily life",
    "tried_self_care": "Already tried",
    "sleep_position": "Sleeping position",
    "pillow": "Pillow",
    "knee_pillow": "Knee pillow",
    "mattress_firmness": "Mattress",
    "mattress_age_years": "Mattress age (years)",
    "mattress_sagging": "Mattress sags",
    "tosses_and_turns": "Tosses and turns",
    "hours_in_bed": "Hours in bed",
    "sleep_habits": "Sleep habits",
    "sitting_hours": "Hours sitting a day",
    "posture": "Posture",
    "exercise_days_per_week": "Exercise days a week",
    "recent_strain": "Recent strain",
    "stress": "Stress (0-10)",
    "smoker": "Smoker",
    "heavy_drinking": "Heavy drinking",
    "conditions": "Conditions",
    "family_history": "Family history",
    "previous_clot": "Previous DVT or pulmonary embolism",
    "long_term_steroids": "Long-term steroids",
    "iv_drug_use": "Injecting drug use",
    "recent_spinal_procedure": "Recent spinal procedure",
    "recent_infection": "Recent infection",
    "medications": "Medicines",
    "side_effects": "Side effects",
    "numbness_or_tingling": "Numbness or tingling",
    "numbness_both_sides": "Numbness on both sides",
    "weakness": "Weakness",
    "weakness_worsening": "Weakness getting worse",
    "unsteady_walking": "Unsteady walking",
    "clumsy_hands": "Clumsy hands",
    "bladder_bowel": "Bladder, bowel or sexual function change",
    "warning_signs_started_days": "Days since the newest warning sign began",
    "fever": "Fever",
    "rigors": "Shivering fits (rigors)",
    "confusion": "Confusion",
    "night_sweats": "Night sweats",
    "weight_loss_unexplained": "Unexplained weight loss",
    "chest_pain_or_pressure": "Chest pain or pressure",
    "chest_pain_on_exertion": "Chest pain on exertion",
    "short_of_breath": "Short of breath",
    "sweating_or_nausea": "Sweating or nausea",
    "unusual_fatigue": "Unusual tiredness",
    "pain_on_breathing": "Pain on breathing",
    "coughing_blood": "Coughing up blood",
    "cough": "Cough",
    "leg_swelling_one_side": "Swelling of one leg",
    "recent_long_travel_or_surgery": "Recent long journey or surgery",
    "abdominal_pain": "Abdominal pain",
    "vomiting": "Vomiting",
    "jaundice": "Jaundice",
    "pulsating_lump_abdomen": "Pulsating lump in the abdomen",
    "painful_urination": "Pain passing urine",
    "faint_or_collapse": "Fainting or collapse",
}

WARNING_SIGN_KEYS: tuple[str, ...] = (
    "numbness_or_tingling",
    "numbness_both_sides",
    "weakness",
    "weakness_worsening",
    "unsteady_walking",
    "clumsy_hands",
    "bladder_bowel",
    "fever",
    "rigors",
    "confusion",
    "night_sweats",
    "weight_loss_unexplained",
    "chest_pain_or_pressure",
    "chest_pain_on_exertion",
    "short_of_breath",
    "sweating_or_nausea",
    "unusual_fatigue",
    "pain_on_breathing",
    "coughing_blood",
    "cough",
    "leg_swelling_one_side",
    "recent_long_travel_or_surgery",
    "abdominal_pain",
    "vomiting",
    "jaundice",
    "pulsating_lump_abdomen",
    "painful_urination",
    "faint_or_collapse",
)
"""The answer keys the vocabulary asks of everyone because they change what to do."""

VALUE_WORDS: dict[str, str] = {
    "lying_down_immediately": "on lying down",
    "after_hours_lying": "after hours lying",
    "on_waking": "on waking",
    "while_sitting": "while sitting",
    "with_activity": "with activity",
    "after_meals": "after meals",
    "constant": "constant",
    "upper_back": "upper back",
    "mid_back": "mid back",
    "lower_back": "lower back",
    "shoulder_blade": "shoulder blade",
    "below_knee": "below the knee",
    "nsaid": "anti-inflammatory (NSAID)",
    "a_lot": "a lot",
    "fall_from_height": "fall from a height",
    "road_accident": "road accident",
    "saddle_area": "saddle area",
    "chest_band": "band round the chest",
    "heat_or_ice": "heat or ice",
    "pain_relief": "pain relief",
    "centre": "centre",
}


def key_words(key: str) -> str:
    """The label of an answer key or diary field, e.g. ``"Worst pain at night (0-10)"``."""
    if key in KEY_WORDS:
        return KEY_WORDS[key]
    text = key.replace("_", " ")
    return text[:1].upper() + text[1:]


def value_words(value: object) -> str:
    """A value in words: ``True`` is "yes", ``"after_hours_lying"`` "after hours lying"."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value is None:
        return "not known"
    if isinstance(value, tuple | list | frozenset | set):
        items = list(value)
        return join_words(value_words(v) for v in items) if items else "none"
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    return VALUE_WORDS.get(text, text.replace("_", " "))


def join_words(parts: Iterable[str]) -> str:
    """``a, b and c``."""
    items = [p for p in parts if p]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
