"""The triage rules: a table a clinician can read, over the named findings of :mod:`.findings`.

Each rule names the concern it raises (or none, for a rule that only sets how soon to be seen),
the level it calls for, its condition over findings, the reason in plain words and the sources.
The triage level is the highest level of all the rules that fire: levels only escalate, and
no rule lowers another. Conditions never negate a warning sign, so reporting one more warning
sign can only keep or raise the level (checked by a property test).

A single weak flag is never enough: age alone or smoking alone raises nothing (NICE NG59;
Finucane et al., 2020). Warning signs that are new (within four weeks, or of unknown start) call
for more than the same signs present unchanged for six months or more.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from nightspine.assessment.conditions import Cond, all_of, any_of, has
from nightspine.assessment.emergency import (
    DEFAULT_EMERGENCY_NUMBER,
    DO_NOT_WAIT,
    call_now,
    if_worse,
)
from nightspine.assessment.findings import FINDING_MEANINGS, Finding
from nightspine.assessment.result import TriageLevel
from nightspine.knowledge.loader import KnowledgeBase, load_knowledge

SELF_CARE = TriageLevel.SELF_CARE
SOON = TriageLevel.SOON
URGENT = TriageLevel.URGENT
EMERGENCY = TriageLevel.EMERGENCY


@dataclass(frozen=True, eq=False)
class Rule:
    """If ``when`` holds, raise ``concern`` (if any) and call for at least ``level``."""

    id: str
    concern: str | None
    level: TriageLevel
    when: Cond
    reason: str
    sources: tuple[str, ...]

    def describe(self) -> str:
        target = self.concern or "(triage only)"
        return f"{self.id}: if {self.when.describe()} -> {target}, {self.level.value}"


def triage_advice(level: TriageLevel, emergency_number: str = DEFAULT_EMERGENCY_NUMBER) -> str:
    """What to do now at ``level``, naming the number to call (see :mod:`.emergency`)."""
    if level is EMERGENCY:
        return f"{call_now(emergency_number)} {DO_NOT_WAIT}"
    if level is URGENT:
        return (
            "Be seen by a doctor today or within 24 hours: call your doctor's practice or an "
            f"urgent care service now. {if_worse(emergency_number)}"
        )
    if level is SOON:
        return (
            "Book an appointment with a doctor or physiotherapist within about two weeks, and "
            "start the self-care plan meanwhile. Get help sooner if a new warning sign appears."
        )
    return (
        "Start the self-care plan below. See a doctor or physiotherapist if the pain is not "
        "clearly better in 4 to 6 weeks, or sooner if anything new appears."
    )


NO_RULE_REASON = (
    "No warning sign was reported, and the pattern fits common back pain from muscles, joints "
    "and habits, which usually settles with self-care."
)
UNANSWERED_SIGNS_REASON = (
    "No warning sign was found in the answers given, but {count} of the warning-sign questions "
    "{verb} not answered ({keys}), so {pronoun} not known; answer {them} to be sure. What was "
    "answered fits common back pain from muscles, joints and habits, which usually settles with "
    "self-care."
)


def no_rule_reason(answers: Mapping[str, object], warning_sign_keys: Sequence[str]) -> str:
    """Why no rule fired: no warning sign reported only when every warning-sign question was
    answered (yes or no); otherwise the unanswered ones are named as not known."""
    missing = [k for k in warning_sign_keys if k not in answers]
    if not missing:
        return NO_RULE_REASON
    one = len(missing) == 1
    return UNANSWERED_SIGNS_REASON.format(
        count=len(missing),
        verb="was" if one else "were",
        keys=", ".join(k.replace("_", " ") for k in missing),
        pronoun="it is" if one else "they are",
        them="it" if one else "them",
    )


NG59 = "nice_ng59"
FLAGS = "red_flags_framework"
ASAS = "asas_ibp"
NG65 = "nice_ng65"
NG234 = "nice_ng234"
NG12 = "nice_ng12"
NG51 = "nice_ng51"
CG95 = "nice_cg95"
ESC_ACS = "esc_acs_2023"
CANTO = "canto_2007"
ESC_AORTA = "esc_aorta_2014"
NG156 = "nice_ng156"
NG158 = "nice_ng158"
NG111 = "nice_ng111"
NG104 = "nice_ng104"
CG188 = "nice_cg188"
CG191 = "nice_cg191"
GIRFT_CES = "girft_ces_2023"
DOWNIE = "downie_2013"
ESC_AORTA_2024 = "esc_aorta_2024"
C_SPINE = "canadian_c_spine"
NEXUS = "nexus"
BSR_PMR = "bsr_pmr"
BSR_GCA = "bsr_gca_2020"
PAEDIATRIC = "paediatric_back_pain"
CKS_LBP = "nice_cks_back_pain"


def rule(
    rule_id: str,
    concern: str | None,
    level: TriageLevel,
    when: Cond,
    reason: str,
    *sources: str,
) -> Rule:
    return Rule(rule_id, concern, level, when, reason, sources)


NOT_UPPER_ONLY = any_of("lumbar_pain", ~has("upper_spine_pain"))
CES_SIGNS = has("cauda_equina_signs")
CES_BILATERAL = any_of("both_legs_numb", "bilateral_sciatica")
SUSPECTED_CANCER = has("suspected_cancer")
# the conditions of the fracture and infection rules below, reused where a new nerve deficit
# turns them into emergencies
FRAGILITY_FRACTURE = all_of(
    "new_pain",
    any_of(
        all_of("fragile_bones", any_of("minor_strain", "sudden_onset")),
        all_of("older_age", "sudden_onset", "minor_strain"),
    ),
)
SUSPECTED_INFECTION = any_of(
    all_of("fever", any_of("infection_risk", "non_mechanical_pain")),
    all_of("strong_infection_risk", any_of("worsening", "non_mechanical_pain")),
)
# an injury counts while its pain is new (within three months, or getting worse): an old
# whiplash that still aches is not a fracture to rule out today
SIGNIFICANT_TRAUMA = all_of(
    "new_pain",
    any_of("dangerous_trauma", all_of("minor_fall", any_of("older_age", "fragile_bones"))),
)

RULES: tuple[Rule, ...] = (
    # --- heart ---------------------------------------------------------------------------------
    rule("heart_attack_chest_pain", "heart_attack", EMERGENCY, has("chest_pain"),
         "Pain, pressure or tightness in the chest with back pain can be a heart attack.",
         CG95, ESC_ACS),
    rule("heart_attack_without_chest_pain", "heart_attack", EMERGENCY,
         all_of("acute_pain", "cardiac_site", "cardiac_features"),
         "Upper back, neck, jaw or arm pain that began recently together with sweating, nausea, "
         "breathlessness or fainting can be a heart attack even without chest pain, more often "
         "so in women and people with diabetes.",
         ESC_ACS, CANTO),
    rule("heart_attack_tiredness", "heart_attack", EMERGENCY,
         all_of("acute_pain", "cardiac_site", "unusual_fatigue", "cardiac_risk",
                "not_clearly_mechanical"),
         "New upper back pain with unusual tiredness in someone at risk of heart disease, when "
         "the pain does not behave like a strain, can be a heart attack that shows itself "
         "quietly.",
         ESC_ACS, CANTO),
    rule("heart_attack_jaw", "heart_attack", EMERGENCY, all_of("acute_pain", "jaw_pain"),
         "Recent back pain that spreads to the jaw can come from the heart.",
         ESC_ACS, CG95),
    rule("heart_attack_chest_spread", "heart_attack", EMERGENCY,
         all_of("acute_pain", "chest_spread",
                any_of("cardiac_risk_factor", all_of("cardiac_risk", "no_mechanical_trigger"))),
         "Recent back pain spreading into the chest, in someone at risk of heart disease, can "
         "be a heart attack.",
         ESC_ACS, CG95),
    rule("heart_attack_recent_symptoms", "heart_attack", URGENT,
         all_of("cardiac_site", "autonomic_symptoms", "cardiac_risk_factor"),
         "Upper back, neck, jaw or arm pain with sweating, sickness or fainting in someone at "
         "risk of heart disease can come from the heart even when it began days ago.",
         ESC_ACS, CANTO),
    rule("heart_pain_in_jaw", "heart_attack", URGENT, all_of("jaw_pain", "cardiac_risk_factor"),
         "Back pain that spreads to the jaw, in someone at risk of heart disease, can come from "
         "the heart.",
         ESC_ACS, CG95),
    rule("angina_on_exertion", "angina", URGENT, has("exertional_chest_pain"),
         "Chest pain or tightness that comes with exertion can be angina, the heart short of "
         "oxygen; new angina needs checking within a day.",
         CG95),
    rule("angina_pattern", "angina", URGENT,
         all_of("exertional_pattern", "no_mechanical_trigger",
                any_of("chest_spread", "jaw_pain",
                       all_of("cardiac_spread", "cardiac_risk_factor"),
                       all_of("breathless", "cardiac_risk"))),
         "Pain that spreads to the chest or jaw (or to an arm, or with breathlessness, in someone "
         "at risk of heart disease) on exertion and settles with rest, with no strain to explain "
         "it, can be angina.",
         CG95),
    # --- aorta ---------------------------------------------------------------------------------
    rule("dissection_tearing", "aortic_dissection", EMERGENCY, has("tearing_pain"),
         "A tearing or ripping pain in the back can be a tear in the wall of the aorta, the "
         "body's main artery.",
         ESC_AORTA),
    rule("dissection_sudden_severe", "aortic_dissection", EMERGENCY,
         all_of("sudden_severe_unexplained", any_of("thoracic_pain", "chest_spread"),
                "dissection_risk"),
         "Sudden, severe (tearing, ripping or sharp) pain between the shoulder blades or in the "
         "chest without a strain to explain it, in someone with high blood pressure, heart "
         "disease, a known aneurysm or a connective tissue disorder, can be a tear in the aorta.",
         ESC_AORTA, ESC_AORTA_2024),
    rule("sudden_severe_pain", None, URGENT, has("sudden_severe_unexplained"),
         "Sudden, severe pain that no lifting, strain or injury explains is a warning sign of its "
         "own: the aorta, a clot in the lungs or a collapsed lung can start this way, so it needs "
         "a doctor today.",
         ESC_AORTA_2024, NG156, NG158, CKS_LBP),
    rule("sudden_severe_with_alarm", "aortic_dissection", EMERGENCY,
         all_of("sudden_severe_unexplained",
                any_of("abdominal_pain", "collapse", "autonomic_symptoms", "breathless")),
         "Sudden, severe pain with belly pain, fainting, a cold sweat or breathlessness can be a "
         "tear or leak of the aorta, or a clot in the lungs: call the emergency number.",
         ESC_AORTA_2024, ESC_AORTA, NG156, NG158),
    rule("sudden_severe_vascular_risk", "aortic_dissection", EMERGENCY,
         all_of("sudden_severe_unexplained", "aortic_risk"),
         "Sudden, severe pain in someone at risk of aortic disease (older with high blood "
         "pressure or smoking now or before, a known aneurysm or a connective tissue disorder) "
         "can be a tear in the aorta.",
         ESC_AORTA_2024, ESC_AORTA),
    rule("aneurysm_sudden_severe", "abdominal_aortic_aneurysm", EMERGENCY,
         all_of("sudden_severe_unexplained", "aneurysm_risk"),
         "Sudden, severe back pain in someone with an aortic aneurysm, or older and at risk of "
         "one (women as well as men), can be an aneurysm that is leaking.",
         NG156),
    rule("dissection_with_collapse", "aortic_dissection", EMERGENCY,
         all_of("sudden_onset", "severe_pain", "collapse", "no_mechanical_trigger"),
         "Sudden, severe back pain with fainting or collapse can be a tear or a leak in the "
         "aorta.",
         ESC_AORTA, NG156),
    rule("aneurysm_lump", "abdominal_aortic_aneurysm", EMERGENCY, has("pulsating_lump"),
         "Back or belly pain with a pulsating lump in the belly can be a swollen aorta "
         "(aneurysm) that is stretching or leaking.",
         NG156),
    rule("aneurysm_sudden_pain", "abdominal_aortic_aneurysm", EMERGENCY,
         all_of("aneurysm_risk", any_of("abdominal_pain", "flank_pain"),
                any_of("sudden_onset", "severe_pain", "collapse")),
         "Sudden or severe back pain spreading to the belly or flank in someone older at risk of "
         "an aneurysm (a man, smoking now or before, high blood pressure) can be a leaking "
         "aortic aneurysm.",
         NG156),
    rule("aneurysm_collapse", "abdominal_aortic_aneurysm", EMERGENCY,
         all_of("aneurysm_risk", "collapse"),
         "Back pain with fainting or collapse in someone older at risk of an aneurysm can be a "
         "leaking aortic aneurysm.",
         NG156),
    rule("aneurysm_belly_pain", "abdominal_aortic_aneurysm", URGENT,
         all_of("aneurysm_risk", "abdominal_pain_reported"),
         "Back and belly pain together in someone older at risk of an aneurysm (women as well "
         "as men) needs the aorta checked within a day.",
         NG156),
    # --- clots -----------------------------------------------------------------------------------
    rule("pe_risk_and_symptoms", "pulmonary_embolism", EMERGENCY,
         all_of("clot_risk", "clot_symptoms"),
         "Breathlessness, pain on breathing, coughing blood or fainting in someone at risk of a "
         "clot (a long journey or surgery, a swollen leg, a past clot, pregnancy, cancer) can "
         "be a clot in the lungs.",
         NG158),
    rule("pe_sudden_breathless", "pulmonary_embolism", EMERGENCY,
         all_of("sudden_onset", "breathless", any_of("pain_on_breathing", "coughing_blood")),
         "Sudden breathlessness with pain on breathing or coughing blood can be a clot in the "
         "lungs.",
         NG158),
    rule("pe_breathless_blood", "pulmonary_embolism", EMERGENCY,
         all_of("breathless", "coughing_blood"),
         "Breathlessness with coughing blood can be a clot in the lungs.",
         NG158),
    rule("leg_clot", None, URGENT, has("leg_swelling"),
         "One swollen calf can be a clot in the leg, which needs checking the same day.",
         NG158),
    # --- cauda equina ----------------------------------------------------------------------------
    rule("ces_new_signs", "cauda_equina_syndrome", EMERGENCY,
         all_of(CES_SIGNS, "signs_within_3_months"),
         "A new change in bladder control or feeling, numbness between the legs, or both legs "
         "weak can mean the nerves at the base of the spine are squeezed (cauda equina "
         "syndrome); treatment within hours protects bladder, bowel and legs.",
         NG59, FLAGS, GIRFT_CES),
    rule("ces_signs", "cauda_equina_syndrome", URGENT,
         all_of(CES_SIGNS, "signs_not_longstanding"),
         "Bladder change, saddle numbness or weak legs that began months ago still need a "
         "doctor's examination within a day.",
         NG59, GIRFT_CES),
    rule("ces_longstanding_signs", "cauda_equina_syndrome", SOON, CES_SIGNS,
         "Bladder change, saddle numbness or weak legs present for months need a doctor to "
         "look for a cause.",
         NG59, GIRFT_CES),
    rule("ces_both_legs", "cauda_equina_syndrome", URGENT,
         all_of(CES_BILATERAL, NOT_UPPER_ONLY, "signs_not_longstanding"),
         "Pain, numbness or tingling in both legs can be an early warning of pressure on the "
         "nerves at the base of the spine.",
         GIRFT_CES, NG59),
    rule("ces_both_legs_old", "cauda_equina_syndrome", SOON, all_of(CES_BILATERAL, NOT_UPPER_ONLY),
         "Long-standing symptoms in both legs need a doctor's examination.",
         GIRFT_CES),
    # --- spinal cord -----------------------------------------------------------------------------
    rule("cord_signs", "spinal_cord_compression", URGENT, has("cord_signs"),
         "Symptoms in both hands, clumsy hands, unsteady walking or a band of numbness around "
         "the trunk can mean pressure on the spinal cord.",
         FLAGS, NG234),
    rule("cord_signs_progressing", "spinal_cord_compression", EMERGENCY,
         all_of("cord_signs",
                any_of("progressive_weakness", SUSPECTED_CANCER, SIGNIFICANT_TRAUMA,
                       "bladder_signs")),
         "Signs of pressure on the spinal cord that are getting worse, or come with cancer, an "
         "injury or a bladder change, need emergency care.",
         NG234, FLAGS),
    rule("cord_both_legs_weak", "spinal_cord_compression", EMERGENCY,
         all_of("both_legs_weak", "upper_spine_pain"),
         "Both legs weak with neck or upper back pain can mean pressure on the spinal cord.",
         NG234, FLAGS),
    rule("cord_both_legs_numb", "spinal_cord_compression", URGENT,
         all_of("both_legs_numb", "upper_spine_pain"),
         "Numbness in both legs with neck or upper back pain can come from the spinal cord.",
         FLAGS),
    rule("cancer_new_neuro", "spinal_cord_compression", EMERGENCY,
         all_of(SUSPECTED_CANCER, "neuro_deficit_new"),
         "New numbness, weakness or bladder change in someone who has had cancer, is losing "
         "weight or has pain that nothing relieves can be cancer pressing on the spinal cord: "
         "emergency care protects walking.",
         NG234),
    # --- nerve roots -----------------------------------------------------------------------------
    rule("root_numbness", "nerve_root_compression", SOON, has("one_limb_numb"),
         "Numbness or tingling in one arm or leg points to an irritated nerve root, which a "
         "doctor or physiotherapist should examine.",
         NG59, FLAGS),
    rule("root_weakness_new", "nerve_root_compression", URGENT,
         all_of("one_limb_weak", "signs_recent"),
         "New weakness in an arm, a leg or a foot needs a doctor's examination within a day.",
         NG59, FLAGS),
    rule("root_weakness", "nerve_root_compression", SOON, has("one_limb_weak"),
         "Weakness in one limb needs a doctor's examination.",
         NG59),
    rule("weakness_progressing", None, URGENT, has("progressive_weakness"),
         "Weakness that is getting worse needs a doctor's examination within a day.",
         NG59, FLAGS),
    rule("neuro_any", None, SOON, has("neuro_deficit"),
         "Numbness, tingling or weakness with back pain should be examined by a professional.",
         NG59),
    rule("bleeding_on_blood_thinners", None, URGENT,
         all_of("anticoagulated",
                any_of(all_of("sudden_onset", "severe_pain"), "minor_fall", "dangerous_trauma")),
         "Sudden severe back pain, or a fall, while taking a blood thinner can mean bleeding and "
         "needs a doctor today.",
         FLAGS),
    rule("bleeding_pressing_on_nerves", "spinal_cord_compression", EMERGENCY,
         all_of("anticoagulated", "neuro_deficit_new", any_of("sudden_onset", "severe_pain")),
         "New numbness or weakness with sudden or severe back pain while taking a blood thinner "
         "can be bleeding around the spinal cord.",
         FLAGS),
    # --- fracture --------------------------------------------------------------------------------
    rule("fracture_dangerous_trauma", "vertebral_fracture", URGENT,
         all_of("dangerous_trauma", "new_pain"),
         "Back or neck pain after a dangerous injury (a fall from a height, a road or bicycle "
         "accident, diving into shallow water, a blow to the head, a collision in sport) needs "
         "checking for a broken vertebra.",
         FLAGS, NG59, C_SPINE, NEXUS),
    rule("injury_then_limb_symptoms", "vertebral_fracture", EMERGENCY,
         all_of("injury", "new_pain", "signs_recent", any_of("limb_neuro", "cord_signs")),
         "New numbness, tingling or weakness in the limbs after any injury can mean a broken "
         "spine pressing on the cord or nerves: keep still and call for help.",
         C_SPINE, NEXUS, FLAGS),
    rule("fracture_trauma_neuro", "vertebral_fracture", EMERGENCY,
         all_of(SIGNIFICANT_TRAUMA, "neuro_deficit"),
         "Numbness, tingling or weakness after a serious fall or accident, or after a fall at 65 "
         "or older, can mean a broken spine pressing on nerves: keep still and call for help.",
         FLAGS),
    rule("cord_after_trauma", "spinal_cord_compression", EMERGENCY,
         all_of(SIGNIFICANT_TRAUMA, any_of("limb_neuro", "cord_signs")),
         "Tingling or weakness in the limbs after a serious fall or accident can mean the spinal "
         "cord is at risk.",
         FLAGS),
    rule("fracture_fall_older_or_fragile", "vertebral_fracture", URGENT,
         all_of("minor_fall", any_of("older_age", "fragile_bones"), "new_pain"),
         "A fall at 65 or older, or with fragile bones, can break a vertebra even when the fall "
         "was small.",
         FLAGS, DOWNIE),
    rule("fracture_fragile_bones", "vertebral_fracture", URGENT,
         all_of("fragile_bones", any_of("minor_strain", "sudden_onset"), "new_pain"),
         "Sudden back pain, or pain after a small strain such as lifting or coughing, in someone "
         "with osteoporosis or on long-term steroids can be a vertebra that has collapsed.",
         FLAGS, DOWNIE, NG59),
    rule("fracture_fragile_neuro", "vertebral_fracture", EMERGENCY,
         all_of(FRAGILITY_FRACTURE, "neuro_deficit_new"),
         "A vertebra that may have collapsed, with new numbness, tingling, weakness or a bladder "
         "change, can be pressing on the spinal cord or nerves.",
         FLAGS, NG59),
    rule("fracture_old_age_sudden", "vertebral_fracture", SOON,
         all_of("age_70_or_over", "sudden_onset", "new_pain"),
         "Back pain that began suddenly at 70 or older can be a vertebra that has collapsed, even "
         "without a fall.",
         FLAGS, DOWNIE),
    rule("fracture_older_sudden", "vertebral_fracture", URGENT,
         all_of("older_age", "sudden_onset", "minor_strain", "new_pain"),
         "Sudden back pain after a small strain at 65 or older can be a collapsed vertebra.",
         FLAGS, DOWNIE),
    # --- cancer ----------------------------------------------------------------------------------
    rule("cancer_history_new_pain", "cancer", URGENT,
         all_of("cancer_history",
                any_of("new_pain", "thoracic_pain", "non_mechanical_pain", "night_waking")),
         "New, worsening, night or upper back pain in someone who has had cancer can be cancer "
         "spread to the spine; guidance asks for contact with a specialist team within 24 hours.",
         NG234, FLAGS),
    rule("cancer_history", "cancer", SOON, has("cancer_history"),
         "Back pain in someone who has had cancer should be reviewed by a doctor.",
         NG234),
    rule("cancer_weight_loss", "cancer", SOON, has("weight_loss"),
         "Unexplained weight loss with back pain needs a doctor to look for a cause, including "
         "cancer.",
         FLAGS, NG59, DOWNIE),
    rule("cancer_weight_loss_night_pain", "cancer", URGENT,
         all_of("weight_loss", any_of("non_mechanical_pain", "night_sweats")),
         "Weight loss together with pain that nothing relieves, or with night sweats, needs "
         "checking soon for cancer or infection.",
         FLAGS, NG12),
    rule("cancer_non_mechanical", "cancer", SOON, has("non_mechanical_pain"),
         "Pain that no position relieves, that wakes from sleep or keeps getting worse, does not "
         "behave like a strained back; a doctor should consider cancer and infection.",
         FLAGS, NG59),
    rule("cancer_older_night_pain", "cancer", SOON,
         all_of("age_50_or_over", "worsening", "night_waking", "not_eased_by_movement"),
         "Back pain at 50 or over that keeps getting worse, wakes from sleep and is not eased "
         "by moving should be checked by a doctor, who will think of cancer among its causes.",
         FLAGS, DOWNIE),
    rule("cancer_night_sweats", "cancer", URGENT,
         all_of("night_sweats", any_of("non_mechanical_pain", "weight_loss")),
         "Night sweats with weight loss or unrelenting pain need checking for cancer or "
         "infection.",
         FLAGS),
    rule("cancer_coughing_blood", "cancer", URGENT, all_of("coughing_blood", "age_40_or_over"),
         "Coughing blood at 40 or older needs checking, including for lung cancer.",
         NG12),
    rule("cancer_jaundice_weight_loss", "cancer", URGENT, all_of("jaundice", "weight_loss"),
         "Yellow skin or eyes with weight loss and back pain need urgent checking.",
         NG12),
    # --- infection -------------------------------------------------------------------------------
    rule("infection_fever_and_risk", "spinal_infection", URGENT,
         all_of("fever", "infection_risk"),
         "Fever and back pain in someone who injects drugs, has a weak immune system, takes "
         "steroids, or had a recent spinal procedure or infection can be an infection of the "
         "spine.",
         FLAGS, NG59),
    rule("infection_risk_unremitting", "spinal_infection", URGENT,
         all_of("infection_risk", any_of("non_mechanical_pain", "night_sweats")),
         "Unrelenting pain or night sweats in someone at risk of infection can be an infection "
         "of the spine, even without a fever.",
         FLAGS),
    rule("infection_fever_unremitting", "spinal_infection", URGENT,
         all_of("fever", "non_mechanical_pain"),
         "Fever with back pain that nothing relieves can be an infection of the spine.",
         FLAGS),
    rule("infection_fever_worsening_night_pain", "spinal_infection", URGENT,
         all_of("fever", "worsening", any_of("night_waking", "constant_pain")),
         "Fever with back pain that keeps getting worse and is there at night can be an "
         "infection of the spine.",
         FLAGS),
    rule("infection_risk_worsening", "spinal_infection", SOON,
         all_of("strong_infection_risk", "worsening"),
         "Back pain that keeps getting worse in someone at risk of infection needs a doctor to "
         "consider an infection of the spine.",
         FLAGS),
    rule("infection_risk_worsening_night_pain", "spinal_infection", URGENT,
         all_of("strong_infection_risk", "worsening", any_of("night_waking", "constant_pain")),
         "Worsening back pain that is there at night, in someone at risk of infection, can be "
         "an infection of the spine even without a fever.",
         FLAGS),
    rule("infection_sweats_unremitting", "spinal_infection", SOON,
         all_of("night_sweats", "non_mechanical_pain"),
         "Night sweats with pain that nothing relieves can come from an infection.",
         FLAGS),
    rule("infection_risk_new_pain", "spinal_infection", URGENT,
         all_of("strong_infection_risk", "recent_or_worsening_pain",
                any_of("no_mechanical_trigger", "worsening")),
         "New back pain that no strain explains, or back pain that keeps getting worse, in "
         "someone who injects drugs, has a weak immune system or had a recent spinal procedure "
         "can be an infection of the spine, even without a fever.",
         FLAGS, NG59),
    rule("infection_fever_new_neuro", "spinal_infection", EMERGENCY,
         all_of("fever", "neuro_deficit_new"),
         "A fever with new numbness, weakness or a bladder change can be an abscess pressing on "
         "the spinal cord or nerves.",
         FLAGS, NG59),
    rule("infection_with_neuro", "spinal_infection", EMERGENCY,
         all_of(SUSPECTED_INFECTION, "neuro_deficit_new"),
         "A possible infection of the spine with new numbness, weakness or a bladder change can "
         "be an abscess pressing on the spinal cord or nerves.",
         FLAGS, NG59),
    rule("sepsis", None, EMERGENCY,
         all_of("sepsis_signs", any_of("fever", "infection_risk", "infection_source")),
         "Shaking chills, new confusion or fainting together with a fever or a likely infection "
         "can be sepsis, which is an emergency.",
         NG51),
    rule("sepsis_rigors", None, EMERGENCY, has("rigors"),
         "Shaking chills (rigors) with back pain can be a sign of sepsis, which is an emergency.",
         NG51),
    rule("fever_any", None, SOON, has("fever"),
         "A fever with back pain needs a doctor's check.",
         FLAGS),
    # --- kidney ----------------------------------------------------------------------------------
    rule("kidney_flank_fever", "kidney_infection", URGENT, all_of("flank_pain", "fever"),
         "Flank pain with a fever can be a kidney infection, which needs treatment the same day.",
         NG111),
    rule("kidney_urine_fever", "kidney_infection", URGENT, all_of("painful_urination", "fever"),
         "Burning urine with a fever and back pain can be a kidney infection.",
         NG111),
    rule("kidney_flank_urine", "kidney_infection", URGENT,
         all_of("flank_pain", "painful_urination"),
         "Flank pain with burning urine can be a kidney infection.",
         NG111),
    rule("flank_pain_severe", None, URGENT,
         all_of("flank_pain", any_of("severe_pain", "vomiting")),
         "Severe flank pain, or flank pain with vomiting, needs a doctor today (a kidney stone, "
         "a kidney infection or, in older people, the aorta).",
         NG111, NG156),
    rule("urine_symptoms", None, SOON, has("painful_urination"),
         "Burning or pain when passing urine should be checked by a doctor.",
         NG111),
    # --- chest -----------------------------------------------------------------------------------
    rule("chest_infection_fever_cough", "chest_infection", SOON, all_of("fever", "cough"),
         "A fever with a cough can be a chest infection.",
         CG191),
    rule("chest_infection_breathing", "chest_infection", URGENT,
         all_of("fever", any_of("pain_on_breathing", all_of("cough", "breathless"))),
         "Fever with pain on breathing, or with cough and breathlessness, can be pneumonia or "
         "pleurisy, which needs a doctor today.",
         CG191),
    rule("chest_infection_pleuritic_cough", "chest_infection", SOON,
         all_of("cough", "pain_on_breathing"),
         "A cough with pain on breathing can be a chest infection or pleurisy.",
         CG191),
    rule("pain_on_breathing", None, SOON, has("pain_on_breathing"),
         "Pain on breathing in should be checked by a doctor.",
         CG191),
    rule("breathless", None, URGENT, has("breathless"),
         "Breathlessness with back pain needs a doctor today.",
         NG158, CG95),
    rule("coughing_blood", None, URGENT, has("coughing_blood"),
         "Coughing blood needs a doctor today.",
         NG158, NG12),
    # --- abdomen ---------------------------------------------------------------------------------
    rule("pancreatitis_vomiting_risk", "pancreatitis", URGENT,
         all_of("abdominal_pain", "vomiting", "pancreatitis_risk"),
         "Belly pain with vomiting in someone who drinks heavily or has gallstones can be an "
         "inflamed pancreas.",
         NG104),
    rule("pancreatitis_boring_vomiting", "pancreatitis", URGENT,
         all_of("pain_boring_to_back", "vomiting"),
         "Upper belly pain that bores through to the back, with vomiting, can be an inflamed "
         "pancreas.",
         NG104),
    rule("pancreatitis_boring_risk", "pancreatitis", SOON,
         all_of("pain_boring_to_back", "pancreatitis_risk"),
         "Belly pain that goes through to the back in someone who drinks heavily or has "
         "gallstones can come from the pancreas.",
         NG104),
    rule("pancreatitis_severe", "pancreatitis", URGENT,
         all_of("pain_boring_to_back", "pancreatitis_risk", "severe_pain"),
         "Severe belly pain through to the back in someone who drinks heavily or has gallstones "
         "can be an inflamed pancreas.",
         NG104),
    rule("gallbladder_right_shoulder_blade", "gallbladder_disease", SOON,
         all_of("right_shoulder_blade", any_of("abdominal_pain", "after_meals")),
         "Pain under the right shoulder blade with belly pain or after meals can come from the "
         "gallbladder.",
         CG188),
    rule("gallbladder_after_meals", "gallbladder_disease", SOON,
         all_of("after_meals", "abdominal_pain"),
         "Belly and back pain that comes after meals can come from the gallbladder.",
         CG188),
    rule("gallbladder_gallstones", "gallbladder_disease", SOON,
         all_of("gallstones", "abdominal_pain"),
         "Belly pain with known gallstones can be a gallstone attack.",
         CG188),
    rule("gallbladder_infected", "gallbladder_disease", URGENT,
         all_of(any_of(all_of("right_shoulder_blade", any_of("abdominal_pain", "after_meals")),
                       all_of("after_meals", "abdominal_pain"),
                       all_of("gallstones", "abdominal_pain")),
                any_of("fever", "jaundice")),
         "Gallbladder pain with a fever or yellow skin can be an infected or blocked "
         "gallbladder, which needs a doctor today.",
         CG188),
    rule("jaundice", None, URGENT, has("jaundice"),
         "Yellow skin or eyes need a doctor today.",
         CG188, NG12),
    rule("abdominal_pain", None, SOON, has("abdominal_pain_reported"),
         "Belly pain together with back pain should be checked by a doctor.",
         FLAGS),
    rule("night_sweats", None, SOON, has("night_sweats"),
         "Drenching night sweats should be checked by a doctor.",
         FLAGS),
    rule("collapse", None, URGENT, has("collapse"),
         "Fainting or collapsing with back pain needs a doctor today.",
         FLAGS),
    rule("confusion", None, URGENT, has("confusion"),
         "New confusion needs a doctor today.",
         NG51),
    # --- inflammatory back pain ------------------------------------------------------------------
    rule("ibp_asas", "inflammatory_back_pain", SOON,
         all_of("chronic_back_pain", "asas_ibp_criteria_met", "spondyloarthritis_features"),
         "Back pain for three months or more with at least four of the five features of "
         "inflammatory back pain points to axial spondyloarthritis, which a rheumatologist "
         "can diagnose and treat.",
         ASAS, NG65),
    rule("ibp_ng65", "inflammatory_back_pain", SOON,
         all_of("chronic_back_pain", "ng65_features"),
         "Back pain for three months or more that began before 45, with several features of "
         "spondyloarthritis, calls for a rheumatology assessment.",
         NG65),
    # --- when self-care is not enough ------------------------------------------------------------
    rule("young_night_pain", None, SOON,
         all_of("under_18", any_of("non_mechanical_pain", "night_waking")),
         "Back pain in a child or teenager that wakes them at night, or that nothing relieves, "
         "should be checked by a doctor.",
         FLAGS, PAEDIATRIC),
    rule("young_fever_or_weight_loss", None, URGENT,
         all_of("under_18", any_of("fever", "weight_loss", "night_sweats")),
         "Back pain in a child or teenager with a fever, weight loss or night sweats should be "
         "checked by a doctor today: it can come from an infection in the spine or, rarely, a "
         "tumour.",
         FLAGS, PAEDIATRIC),
    rule("young_persistent_pain", None, SOON, has("child_persistent_pain"),
         "Back pain in a child or teenager that has lasted more than four weeks should be "
         "checked by a doctor.",
         PAEDIATRIC),
    rule("persistent_not_improving", None, SOON, has("persistent_not_improving"),
         "Pain for six weeks or more that is not getting better should be examined by a doctor "
         "or physiotherapist.",
         CKS_LBP, NG59),
    # --- over 50: polymyalgia rheumatica, giant cell arteritis ------------------------------------
    rule("polymyalgia", "polymyalgia_rheumatica", SOON, has("polymyalgia_pattern"),
         "Over 50, stiffness and aching of both shoulders or hips that is worst in the morning "
         "can be polymyalgia rheumatica, which a doctor can confirm with blood tests.",
         BSR_PMR),
    rule("arteritis", "giant_cell_arteritis", URGENT, has("arteritis_features"),
         "Over 50, a new headache, jaw pain on chewing or a change in sight can be giant cell "
         "arteritis, which needs a doctor today to protect the sight.",
         BSR_GCA),
    rule("arteritis_sight", "giant_cell_arteritis", EMERGENCY,
         all_of("arteritis_features", "vision_change"),
         "Over 50, a change in sight can be giant cell arteritis threatening the eye: go to an "
         "emergency department now.",
         BSR_GCA),
    rule("vision_change", None, URGENT, has("vision_change"),
         "A sudden change in sight needs a doctor today.",
         BSR_GCA),
    rule("self_care_not_working", None, SOON, has("self_care_not_working"),
         "Self-care has been tried for six weeks or more without the pain getting better, so a "
         "professional should examine the back.",
         NG59),
    rule("big_impact", None, SOON, has("big_impact"),
         "The pain gets in the way of much of daily life; a professional can help with a plan "
         "for getting active again.",
         NG59),
)  # fmt: skip


def _check_rules() -> None:
    ids = [r.id for r in RULES]
    if len(ids) != len(set(ids)):
        raise ValueError("rule ids must be unique")
    for r in RULES:
        unknown = r.when.finding_ids() - set(FINDING_MEANINGS)
        if unknown:
            raise ValueError(f"rule {r.id} uses unknown findings {sorted(unknown)}")


_check_rules()


def fired_rules(findings: Mapping[str, Finding]) -> list[Rule]:
    """The rules whose condition holds for ``findings``, in table order."""
    return [r for r in RULES if r.when.holds(findings)]


def describe_rules() -> str:
    """The whole rule table as text, one rule a line (for clinicians reviewing the logic)."""
    return "\n".join(r.describe() for r in RULES)


REGENERATE = "PYTHONPATH=src python -m nightspine.assessment.rules_doc"
"""The command that writes ``docs/clinical-rules.md`` again after the rule table changes."""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def rules_markdown(kb: KnowledgeBase | None = None) -> str:
    """Every rule (its condition, concern, level, reason and sources) and the meaning of every
    finding the rules use, as Markdown for clinical review (``docs/clinical-rules.md``)."""
    knowledge = kb if kb is not None else load_knowledge()
    lines = [
        "# nightspine triage rules",
        "",
        "Generated from the rule table in `src/nightspine/assessment/rules.py` and the "
        "knowledge base's source list; do not edit by hand. After changing a rule, a finding "
        "or a source label, regenerate it from the repository root with:",
        "",
        f"    {REGENERATE}",
        "",
        "The triage level is the highest level of the rules that fire; a rule never lowers "
        "another. A rule's condition is written over named findings, explained in the second "
        "table.",
        "",
        "| rule | if | concern | level | why | sources |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in RULES:
        concern = "-" if r.concern is None else knowledge.concerns[r.concern].title
        sources = "; ".join(knowledge.source_label(s) for s in r.sources)
        cells = (r.id, r.when.describe(), concern, r.level.value, r.reason, sources)
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    lines += ["", "## Findings", "", "| finding | meaning |", "| --- | --- |"]
    used = set().union(*(r.when.finding_ids() for r in RULES))
    lines += [
        f"| {fid} | {_cell(FINDING_MEANINGS[fid])} |" for fid in FINDING_MEANINGS if fid in used
    ]
    return "\n".join(lines) + "\n"
