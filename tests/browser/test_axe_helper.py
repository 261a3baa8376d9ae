"""The accessibility check never passes silently: without axe-core installed it fails and says how to fix it."""

import browser_helpers
import pytest


def test_a_missing_axe_core_fails_the_check_and_names_the_command(monkeypatch, tmp_path):
    monkeypatch.setattr(browser_helpers, "AXE_SCRIPT", tmp_path / "node_modules" / "axe-core" / "axe.min.js")
    monkeypatch.setattr(browser_helpers, "ROOT", tmp_path)
    with pytest.raises(pytest.fail.Exception, match=r"run `npm ci --no-audit --no-fund`"):
        browser_helpers.check_accessibility(page=None, name="trang chủ")


def test_violations_are_listed_with_their_rule_help_and_elements():
    text = browser_helpers.describe([{
        "id": "label", "impact": "critical", "help": "Form elements must have labels",
        "helpUrl": "https://dequeuniversity.com/rules/axe/4.14/label",
        "nodes": [{"target": "#id_phone", "summary": "Fix any of the following:\n  Form element does not have a label"}],
    }])
    assert "- label (critical): Form elements must have labels" in text
    assert "#id_phone: Fix any of the following: /   Form element does not have a label" in text
