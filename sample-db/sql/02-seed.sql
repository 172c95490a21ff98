-- users_db seed data: a few users, so a fresh database already answers GET /users.
-- Fixed ids (the docs and labs refer to them); INSERT IGNORE makes a second run a no-op.
INSERT IGNORE INTO users (id, name, email) VALUES
    (1, 'Ada Lovelace',      'ada.lovelace@example.org'),
    (2, 'Alan Turing',       'alan.turing@example.org'),
    (3, 'Grace Hopper',      'grace.hopper@example.org'),
    (4, 'Edsger Dijkstra',   'edsger.dijkstra@example.org'),
    (5, 'Barbara Liskov',    'barbara.liskov@example.org'),
    (6, 'Leslie Lamport',    'leslie.lamport@example.org');
