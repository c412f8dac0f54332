"""Pages of trade promotion: events and invitations, sales points and listings, training, targets."""
