from django.db import migrations

# name, delivery, level, required course, measures, weeks, sessions, description
PROGRAMMES = [
    ("Video Interaction Guidance (VIG)", "one_to_one", "targeted",
     "Video Interaction Guidance (VIG) practitioner", ["MORS_SF"], 12, 6,
     "Filmed moments of attuned interaction, reviewed with the parent."),
    ("Triple P Baby", "group", "targeted", "Triple P Baby practitioner",
     ["SWEMWBS"], 8, 8, "Positive parenting for the first year."),
    ("Circle of Security Parenting", "group", "targeted",
     "Circle of Security Parenting facilitator", ["MORS_SF", "SWEMWBS"], 8, 8,
     "Understanding a baby's needs for security and exploration."),
    ("Building Babies Brains", "group", "universal", "Building Babies Brains",
     ["SWEMWBS"], 6, 6, "How babies' brains develop, and how parents help."),
    ("Baby massage", "group", "universal", "Baby massage instructor", [], 5, 5,
     "A five-week course of baby massage."),
    ("Perinatal peer support group", "drop_in", "universal",
     "Peer support worker training", [], 52, 0,
     "A weekly drop-in for parents, run by peer support workers."),
    ("NHS Talking Therapies (step 2)", "one_to_one", "targeted",
     "NHS Talking Therapies psychological wellbeing practitioner (step 2)",
     ["PHQ9", "GAD7"], 8, 6, "Guided self-help for anxiety and low mood."),
    ("NHS Talking Therapies (step 3)", "one_to_one", "specialist",
     "NHS Talking Therapies high-intensity therapist (step 3)", ["PHQ9", "GAD7"],
     16, 16, "High-intensity therapy, such as CBT."),
    ("One-to-one perinatal support", "one_to_one", "targeted", None,
     ["EPDS", "ORS"], 12, 8,
     "Support at home from the family's practitioner; no accreditation needed."),
]


def add_catalogue(apps, schema_editor):
    Programme = apps.get_model("programmes", "Programme")
    TrainingCourse = apps.get_model("workforce", "TrainingCourse")
    for name, delivery, level, course, codes, weeks, sessions, text in PROGRAMMES:
        required = (
            TrainingCourse.objects.get_or_create(name=course, defaults={"accredits": True})[0]
            if course
            else None
        )
        Programme.objects.get_or_create(
            name=name,
            defaults={
                "delivery": delivery,
                "level": level,
                "required_course": required,
                "instrument_codes": codes,
                "planned_weeks": weeks,
                "sessions_planned": sessions,
                "description": text,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0001_initial"),
        ("workforce", "0002_training_catalogue"),
    ]

    operations = [migrations.RunPython(add_catalogue, migrations.RunPython.noop)]
