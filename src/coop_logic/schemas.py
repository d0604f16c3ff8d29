"""Kept for one release: `coop_logic.schemas` moved to `coop_logic.spec.schemas`."""

from coop_logic.spec.schemas import *  # noqa: F403
from coop_logic.spec.schemas import __doc__ as __doc__
