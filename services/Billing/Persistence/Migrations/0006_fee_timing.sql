-- Recurring fees in arrears (the default) or in advance (decision 0111), and the month whose time each invoice bills:
-- its period, or the month before in advance. Invoices from before keep NULL, read as their period.
ALTER TABLE billing_accounts ADD COLUMN fee_timing text NOT NULL DEFAULT 'Arrears' CHECK (fee_timing IN ('Arrears', 'Advance'));
ALTER TABLE invoices ADD COLUMN time_period text;
