"""Builds a Baton TriggerCase in Python with fastavro, as an upstream system would publish it.

    pip install fastavro
    python3 contracts/examples/publish_trigger.py inbox-triage msg-42 '{"messageId": "msg-42", "raw": "Subject: hi\n\nhello"}'

Prints one JSON line: {"key": <case id>, "value": <base64 of the Kafka value>}. Send them with
any Kafka client, e.g. confluent-kafka:

    Producer({"bootstrap.servers": "127.0.0.1:9092"}).produce("baton.triggers", key=key, value=base64.b64decode(value))

The message key is the case id (so every message of one case stays in one partition, in order);
the value, and the trigger's `input` inside it, are Avro single-object encodings: C3 01, the
8-byte little-endian CRC-64-AVRO fingerprint of the writer schema, then the Avro body.
"""
import base64
import io
import json
import sys
import time
import uuid
from pathlib import Path

import fastavro
from fastavro.schema import fingerprint, to_parsing_canonical_form

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
# caseIdFor in @baton/contracts: an RFC 9562 version-5 UUID in this namespace.
CASE_NAMESPACE = uuid.UUID("6f1c2a7e-4b5d-4e8f-9a0b-1c2d3e4f5a6b")


def case_id_for(workflow: str, key: str | None, trigger_id: str) -> str:
    """The case id a trigger starts: from (workflow, key) when there is a key, else from the trigger id."""
    name = f"key\0{workflow}\0{key}" if key else f"trigger\0{trigger_id}"
    return str(uuid.uuid5(CASE_NAMESPACE, name))


def single_object(schema_file: Path, record: dict) -> bytes:
    """The Avro single-object encoding of a record (Avro specification 1.11, "Single-object encoding")."""
    schema = fastavro.parse_schema(json.loads(schema_file.read_text()))
    header = b"\xc3\x01" + bytes.fromhex(fingerprint(to_parsing_canonical_form(schema), "CRC-64-AVRO"))
    body = io.BytesIO()
    fastavro.schemaless_writer(body, schema, record)
    return header + body.getvalue()


def trigger(workflow: str, key: str | None, case_input: dict, input_schema: Path) -> tuple[str, bytes]:
    trigger_id = str(uuid.uuid4())
    value = single_object(SCHEMAS / "baton" / "TriggerCase.avsc", {
        "triggerId": trigger_id, "workflow": workflow, "version": None, "key": key,
        "input": single_object(input_schema, case_input),
        "source": "kafka", "correlationId": None, "requestedAt": int(time.time() * 1000),
    })
    return case_id_for(workflow, key, trigger_id), value


if __name__ == "__main__":
    workflow, key, case_input = sys.argv[1], sys.argv[2] or None, json.loads(sys.argv[3])
    schema = Path(sys.argv[4]) if len(sys.argv) > 4 else SCHEMAS / "examples" / "InboxMessage.avsc"
    case_id, value = trigger(workflow, key, case_input, schema)
    print(json.dumps({"key": case_id, "value": base64.b64encode(value).decode()}))
