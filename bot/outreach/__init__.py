"""Outreach: workers, invite codes, landing pages, QR codes and flyers, figures and reports."""
