"""Hooks agencies offers to the apps above it, which it must not import.

`access_ended` is sent inside the transaction of a role change or a deactivation, with `person`
(the agencies.models.User): every way in the person held must stop now. Agencies ends the
sessions itself; the api app ends the tokens it issued (api/signals.py, connected in
ApiConfig.ready). It is sent with `send()`, not `send_robust()`: a receiver that fails rolls the
change back, rather than leaving a person half cut off.
"""

from django.dispatch import Signal

access_ended = Signal()
