"""What people read: terminal tables today; maps and reports belong here too."""
