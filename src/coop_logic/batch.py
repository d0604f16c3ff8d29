"""Kept for one release: `coop_logic.batch` moved to `coop_logic.practice.batch`."""

from coop_logic.practice.batch import *  # noqa: F403
from coop_logic.practice.batch import __doc__ as __doc__
