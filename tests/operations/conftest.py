import pytest


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    """These tests are transactional: see the root conftest's `reference_data`."""
