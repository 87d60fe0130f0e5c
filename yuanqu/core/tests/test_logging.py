import json
import logging

from yuanqu.core.logging import JsonFormatter, PersonalDataFilter, scrub


def test_scrub_masks_mainland_mobiles_with_or_without_country_code():
    assert scrub("call 13812341234 or +86 13912345678") == "call 138****1234 or 139****5678"


def test_scrub_masks_email_addresses():
    assert scrub("from wang.jingli@example.cn") == "from w***@example.cn"


def test_scrub_masks_resident_id_numbers():
    assert scrub("id 32030219900101123X") == "id 320302********123X"


def test_scrub_leaves_ordinary_numbers_alone():
    assert scrub("5000㎡, 320371, 2026-11-25") == "5000㎡, 320371, 2026-11-25"


def test_log_records_are_json_lines_without_personal_data():
    record = logging.LogRecord(
        "yuanqu", logging.INFO, __file__, 1, "lead from %s", ("13812341234",), None
    )
    PersonalDataFilter().filter(record)

    line = json.loads(JsonFormatter().format(record))

    assert line["message"] == "lead from 138****1234"
    assert line["level"] == "INFO"
