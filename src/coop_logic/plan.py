"""Kept for one release: `coop_logic.plan` moved to `coop_logic.practice.plan`."""

from coop_logic.practice.plan import *  # noqa: F403
from coop_logic.practice.plan import __doc__ as __doc__
