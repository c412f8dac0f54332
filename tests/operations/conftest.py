import pytest


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """The flush after a transactional test empties the tables migrations fill: put them back first."""
    from ocop.reference import reference_data_ensure

    reference_data_ensure()
