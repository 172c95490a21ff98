package dev.switchboard.producer.users;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 404 with a problem body naming the id or e-mail address looked for. */
public class UserNotFoundException extends ErrorResponseException {
    public UserNotFoundException(long id) {
        super(HttpStatus.NOT_FOUND, problem("no user with id " + id), null);
    }

    public UserNotFoundException(String email) {
        super(HttpStatus.NOT_FOUND, problem("no user with e-mail address " + email), null);
    }

    private static ProblemDetail problem(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, detail);
        problem.setTitle("User not found");
        return problem;
    }
}
