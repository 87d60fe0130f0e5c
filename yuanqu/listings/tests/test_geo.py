import pytest

from yuanqu.listings.geo import wgs84_to_gcj02


def test_a_point_in_beijing_shifts_like_the_reference_implementation():
    # Reference value of the widely used coordtransform library for (116.404, 39.915).
    latitude, longitude = wgs84_to_gcj02(39.915, 116.404)

    assert latitude == pytest.approx(39.91640428150164, abs=1e-9)
    assert longitude == pytest.approx(116.41024449916938, abs=1e-9)


def test_a_point_outside_china_is_not_shifted():
    assert wgs84_to_gcj02(48.8566, 2.3522) == (48.8566, 2.3522)
