"""The pinned ESCO v1.2.0 concepts we may align to (verified in reference/spocc.md §6)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final, NamedTuple

ESCO_FRAMEWORK: Final = "ESCO v1.2.0"
ESCO_URI_PREFIX: Final = "http://data.europa.eu/esco/skill/"
_URI = re.compile(
    r"http://data\.europa\.eu/esco/skill/([0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})"
)


class EscoConcept(NamedTuple):
    """An ESCO concept: its v1.2.0 English label, and its T-code if it is a group concept."""

    label: str
    code: str | None


ESCO_CONCEPTS: Final[Mapping[str, EscoConcept]] = {
    "6f142deb-03a9-4cd7-94ce-e0f023ae2169": EscoConcept("communicating", "T4.1"),
    "82463bb1-85d1-4e99-a4ce-08508fc3b2a3": EscoConcept("supporting others", "T4.2"),
    "036afa6e-cdde-4b38-a53a-8e7910a840e1": EscoConcept(
        "collaborating in teams and networks", "T4.3"
    ),
    "66fdc34c-2326-4baa-b8ff-7a1d1015fe3a": EscoConcept("planning and organising", "T2.2"),
    "13d301d0-98cb-414f-a8f9-a3f059228133": EscoConcept("dealing with problems", "T2.3"),
    "e84d080a-ff6d-41a7-b7b9-133e97c7bf00": EscoConcept(
        "thinking creatively and innovatively", "T2.4"
    ),
    "14c41899-0224-4cbc-bd8c-e946ada2da87": EscoConcept("working efficiently", "T3.1"),
    "91860993-1a8b-4473-91f3-600aa1924bd0": EscoConcept("taking a proactive approach", "T3.2"),
    "2b2c3254-7f6c-47e2-84f1-aece946fbfae": EscoConcept("maintaining a positive attitude", "T3.3"),
    "f5c9eef3-0495-4747-9519-d71a58d252bd": EscoConcept(
        "demonstrating willingness to learn", "T3.4"
    ),
    "a17286c5-238d-4f0b-bc24-29e9121345de": EscoConcept("listen actively", None),
    "77b636e8-fab3-41a8-8022-1e0a354059dc": EscoConcept("show empathy", None),
    "fd89f784-88dc-4d35-abd7-86aa073cab12": EscoConcept("keep an open mind", None),
    "5ca953f7-541d-4f67-bc55-7721348366cf": EscoConcept(
        "respect the diversity of cultural values and norms", None
    ),
    "c10d5d87-36cf-42f5-8a12-e560fb5f4af8": EscoConcept(
        "demonstrate intercultural competence", None
    ),
    "e37d64dc-0f05-4ee8-b065-bf76f70d8f5c": EscoConcept(
        "respect confidentiality obligations", None
    ),
    "96de2e86-e287-41f2-88ab-15a2343afc6f": EscoConcept("resolve conflicts", None),
    "7954861c-86d4-4529-afbb-2c23dab9ac74": EscoConcept("negotiate compromises", None),
    "be6ab363-3de1-427f-a8ef-85d5b0250822": EscoConcept("report facts", None),
    "669b75d8-671c-4a1c-8e0b-6466c513c27d": EscoConcept("show confidence", None),
    "19a64e91-bfe3-4c48-9225-3bb1229b12f0": EscoConcept("show determination", None),
    "468135b7-5757-48c3-9509-fde0e13ec5be": EscoConcept("manage personal progression", None),
    "1d1fedcb-4995-44ac-90f5-f31a157ce512": EscoConcept("manage frustration", None),
    "7a147904-22b3-498a-b4d9-7bceeb86b45d": EscoConcept("cope with stress", None),
    "5cd1930c-278d-4929-b413-27352f5b3687": EscoConcept("cope with uncertainty", None),
    "469748ce-051a-407e-9099-0c9415ac2705": EscoConcept("approach challenges positively", None),
    "49de9958-2aa4-4eef-a89d-fe5d5bcd28c4": EscoConcept("adapt to change", None),
    "05aa7c09-46e7-433f-a81b-92841f4551e7": EscoConcept("accept criticism and guidance", None),
    "409a0245-0e6c-4aac-ba16-0920ecb76a8d": EscoConcept("exercise self-reflection", None),
    "9bf266a6-188b-4d17-a22f-2f266d76832b": EscoConcept("demonstrate willingness to learn", None),
    "d9013e0e-e937-43d5-ab71-0e917ee882b8": EscoConcept("manage time", None),
    "e49f4158-9d4c-425d-bf32-dfe89b19840a": EscoConcept("plan", None),
    "6b305973-8993-475f-bd8a-daf037c61401": EscoConcept(
        "organise information, objects and resources", None
    ),
    "113b4428-0a31-4199-8496-070af7854b91": EscoConcept("meet commitments", None),
    "83e6510b-ffeb-4aec-959c-4265fd0ff7b7": EscoConcept("attend to detail", None),
    "c29aa9d2-4da8-4bdd-831c-8d4a2fb51730": EscoConcept("work independently", None),
    "b618584f-6bdf-4d8f-89a7-f28c2c95afc2": EscoConcept("comply with regulations", None),
    "60c78287-22eb-4103-9c8c-28deaa460da0": EscoConcept("work in teams", None),
    "045f71e6-0699-4169-8a54-9c6b96f3174d": EscoConcept("advise others", None),
    "699e7c26-6502-4e78-a823-3656ff5a5b8b": EscoConcept("instruct others", None),
    "199f7919-5114-41b6-b6a5-41e0e4896ec1": EscoConcept("assume responsibility", None),
    "bcf002ce-90f8-42e5-ac1b-5dba208639b0": EscoConcept("demonstrate trustworthiness", None),
    "b19e0820-a96f-4c0a-a724-3c056180c1b3": EscoConcept("build team spirit", None),
    "e2d44a9b-f28c-489e-9861-b654b5ded507": EscoConcept("motivate others", None),
    "a628d2d1-f40a-4c37-a357-2801726f2996": EscoConcept("identify problems", None),
    "adc6dc11-3376-467b-96c5-9b0a21edc869": EscoConcept("solve problems", None),
    "c624c6a3-b0ba-4a31-a296-0d433fe47e41": EscoConcept("think creatively", None),
    "b40584aa-7c63-4eed-9422-a9798fb95fdc": EscoConcept("improvise", None),
    "001115fb-569f-4ee6-8381-c6807ef2527f": EscoConcept("show initiative", None),
    "d62d2b4c-a6f8-439e-8a1b-4f29ab5f2c47": EscoConcept("make decisions", None),
    "7dd94ad3-13d6-43fe-8b94-51fcbf67ced9": EscoConcept("think critically", None),
}
"""Concept UUID → concept. Labels change between ESCO versions; the URI does not."""


def esco_uri(uuid: str) -> str:
    """The concept URI of an ESCO UUID."""
    return ESCO_URI_PREFIX + uuid


def esco_uuid(uri: str) -> str | None:
    """The UUID in an ESCO skill concept URI, or None if the URI does not have that form."""
    match = _URI.fullmatch(uri)
    return match.group(1) if match else None
