"""Kept for one release: `coop_logic.questions` moved to `coop_logic.practice.ask`."""

from coop_logic.practice.ask import *  # noqa: F403
from coop_logic.practice.ask import __doc__ as __doc__
