from django.db import migrations

# name, accredits, renewal months (None: never), makes a champion, description
COURSES = [
    ("Video Interaction Guidance (VIG) practitioner", True, 36, False,
     "Accredited VIG practitioner, working under VIG supervision."),
    ("Triple P Baby practitioner", True, None, False,
     "Accredited to deliver Triple P Baby to parents one to one or in groups."),
    ("Circle of Security Parenting facilitator", True, None, False,
     "Registered facilitator of the Circle of Security Parenting programme."),
    ("Building Babies Brains", True, 24, False,
     "Trained to deliver Building Babies Brains sessions with parents."),
    ("Baby massage instructor", True, None, False,
     "Qualified to teach baby massage courses."),
    ("Peer support worker training", True, 24, False,
     "Trained to facilitate perinatal peer support groups."),
    ("NHS Talking Therapies psychological wellbeing practitioner (step 2)", True,
     None, False, "Qualified PWP delivering low-intensity interventions."),
    ("NHS Talking Therapies high-intensity therapist (step 3)", True, None, False,
     "Qualified high-intensity therapist."),
    ("Perinatal mental health champion", False, 24, True,
     "Champions perinatal mental health in their team."),
    ("Safeguarding children (level 3)", False, 36, False, ""),
]


def add_catalogue(apps, schema_editor):
    TrainingCourse = apps.get_model("workforce", "TrainingCourse")
    for name, accredits, renewal, champion, description in COURSES:
        TrainingCourse.objects.get_or_create(
            name=name,
            defaults={
                "accredits": accredits,
                "renewal_months": renewal,
                "makes_champion": champion,
                "description": description,
            },
        )


def remove_unused(apps, schema_editor):
    TrainingCourse = apps.get_model("workforce", "TrainingCourse")
    TrainingCourse.objects.filter(
        name__in=[course[0] for course in COURSES], records__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("workforce", "0001_initial")]

    operations = [migrations.RunPython(add_catalogue, remove_unused)]
