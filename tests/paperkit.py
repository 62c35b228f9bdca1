"""Papers for the import tests: a new one (a release, a modification, every kind of fact) and broken ones."""

from __future__ import annotations

NEW_PAPER = """\
# A Panel paper the demo data has not seen: a new release and a new modification.
document:
  key: panel-2021-03-05
  title: SEC Releases Update (March 2021 Panel paper)
  issued: 2021-03-05
  author: SECAS

modifications:
  - ref: MP300
    title: Faster Change Board referrals
    kind: MP
    path: Self-Governance
    phase: Change Board
    working_group: WG5
    dcc_impact: false
    status_note: Change Board vote on 10 Mar 2021.

releases:
  - slug: november-2022
    name: November 2022 SEC Release
    go_live: 2022-11-03
    status: planning
    dcc_system_impacting: false
    notes: Opened at the March 2021 Panel.
    scope:
      - ref: MP300
        state: targeted
        note: In the release if approved.
    participant_impacts:
      parties: [Suppliers, DCC]
      rows:
        MP300: [Suppliers]
    costs:
      - payer: SECAS
        category: SEC update
        amount_gbp: 600
        effort_days: 1
        ref: MP300
        note: One day to make the SEC changes.
    rid_versions:
      - version: "0.1"
        issued: 2021-03-05
        changes: First draft.
  - slug: june-2021
    status: frozen

decisions:
  - date: 2021-03-03
    body: Panel
    subject: MP300
    outcome: recommended
    text: The Panel sent it to the Change Board.

milestones:
  - key: mp300/cb-2021-03-10
    ref: MP300
    release: november-2022
    kind: change_board
    title: Change Board votes on MP300
    date: 2021-03-10
  - key: mp300/referral-end
    ref: MP300
    kind: referral_end
    title: MP300 referral period ends
    derived: {from: mp300/cb-2021-03-10, working_days: 10}
    date: 2021-03-24
"""

# Three mistakes, each on a known line: a release status that is not one, a ref that is not a
# ref, and a modification used that no paper lists.
BAD_PAPER = """\
document:
  key: broken-paper
  title: A paper with mistakes
  issued: 2021-03-05

releases:
  - slug: june-2021
    status: finished
    scope:
      - ref: not a ref
        state: targeted
      - ref: MP999
        state: approved
"""
BAD_LINES = {
    8: "releases[0].status",
    10: "releases[0].scope[0].ref",
    12: "releases[0].scope[1].ref",
}
