"""Running scenarios end to end: one scenario (``run``) and what it returns and writes
(``result``), or many sharing their solved problems (``batch``)."""
