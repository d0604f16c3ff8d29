"""Kept for one release: `coop_logic.networks` moved to `coop_logic.spec.networks`."""

from coop_logic.spec.networks import *  # noqa: F403
from coop_logic.spec.networks import __doc__ as __doc__
