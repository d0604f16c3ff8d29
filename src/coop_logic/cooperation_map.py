"""Kept for one release: `coop_logic.cooperation_map` moved to `coop_logic.practice.cooperation_map`."""

from coop_logic.practice.cooperation_map import *  # noqa: F403
from coop_logic.practice.cooperation_map import __doc__ as __doc__
