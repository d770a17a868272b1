"""Purchase documents (EHF / Peppol BIS 3) as the baseline of today's deliveries."""
