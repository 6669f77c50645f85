"""
Unit tests of the signed-in crowd's pure logic (lib/sessions.py), run with the load runs'
Python (it has Locust and gevent):

    ~/.cache/surge/locust-*/bin/python -m unittest discover -s load-tests -p 'test_*.py'
"""

import unittest

from lib.sessions import MIN_SESSIONS, SessionPool, logs_in_with_password, session_count


class SessionPoolTest(unittest.TestCase):
    def test_a_session_is_held_by_one_visit_at_a_time_and_served_again_once_given_back(self):
        pool = SessionPool(["a", "b"])
        first, second = pool.take(), pool.take()
        self.assertEqual((first, second), ("a", "b"))
        self.assertIsNone(pool.take())
        pool.give_back(first)
        self.assertEqual(pool.take(), "a")

    def test_a_lost_session_does_not_come_back(self):
        pool = SessionPool(["a"])
        pool.take()
        pool.give_back(None)
        self.assertEqual(len(pool), 0)


class SessionCountTest(unittest.TestCase):
    def test_signs_in_three_quarters_of_a_session_per_visit_per_second(self):
        self.assertEqual(session_count(80), 60)
        self.assertEqual(session_count(35), 27)

    def test_signs_in_a_floor_of_sessions_at_low_rates(self):
        self.assertEqual(session_count(4), MIN_SESSIONS)

    def test_an_override_wins(self):
        self.assertEqual(session_count(80, 7), 7)


class LoginShareTest(unittest.TestCase):
    def test_a_visitor_logs_in_when_the_roll_falls_under_the_share(self):
        self.assertTrue(logs_in_with_password(0.1, 0.05))
        self.assertFalse(logs_in_with_password(0.1, 0.1))
        self.assertFalse(logs_in_with_password(0, 0.0))


if __name__ == "__main__":
    unittest.main()
