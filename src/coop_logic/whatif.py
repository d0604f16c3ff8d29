"""Kept for one release: `coop_logic.whatif` moved to `coop_logic.practice.whatif`."""

from coop_logic.practice.whatif import *  # noqa: F403
from coop_logic.practice.whatif import __doc__ as __doc__
